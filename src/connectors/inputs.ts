/** What the operator sends to connect a shop's platform (the API and the console's form). */
import * as v from 'valibot'

import { say } from '../common/validation'
import { SHOP_PLATFORMS } from '../db/schema'
import { PLATFORMS } from './platforms'

export const ShopConnect = v.pipe(
  v.object({
    platform: v.picklist(SHOP_PLATFORMS, say('must be shopify or woocommerce', 'ShopifyかWooCommerceを選んでください')),
    shop_address: v.pipe(
      v.string(say('must be a string', '文字で入力してください')),
      v.trim(),
      v.minLength(1, say('must not be empty', '入力してください')),
      v.maxLength(200, say('must be at most 200 characters', '200文字以内にしてください')),
    ),
    secret: v.pipe(
      v.string(say('must be a string', '文字で入力してください')),
      v.trim(),
      v.minLength(
        8,
        say(
          'must be the secret the platform shows (8 characters or more)',
          'プラットフォームに表示されたシークレット（8文字以上）を貼り付けてください',
        ),
      ),
      v.maxLength(200, say('must be at most 200 characters', '200文字以内にしてください')),
    ),
  }),
  v.forward(
    v.check(
      (c) => PLATFORMS[c.platform].shopAddress(c.shop_address) !== null,
      say(
        'must be the shop’s address on its platform: name.myshopify.com for Shopify, the site’s https:// address for WooCommerce',
        'プラットフォーム上のショップのアドレスを入力してください（Shopifyは name.myshopify.com、WooCommerceはサイトの https:// アドレス）',
      ),
    ),
    ['shop_address'],
  ),
)
export type ShopConnectInput = v.InferOutput<typeof ShopConnect>

export const DeliveriesQuery = v.object({
  lang: v.optional(v.picklist(['en', 'ja'], 'must be en or ja')),
})
