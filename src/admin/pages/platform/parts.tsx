/**
 * The parts of the shop platform page: how to set the platform's webhooks up (the address to paste,
 * the topics, where in the platform's admin, how to send a test) and the latest deliveries, each
 * with what it did or why it was refused, in words.
 */
import type { FC } from 'hono/jsx'

import type { Out } from '../../../common/outputs'
import type { ShopPlatform } from '../../../db/schema'
import type { ConnectionOut } from '../../../connectors/outputs'
import { reasonText } from '../../../connectors/reasons'
import { platformName } from '../../../connectors/receive'
import type { DeliveryRow } from '../../../connectors/store'
import { wordFor } from '../../kit/code-words'
import type { PageContext } from '../../kit/context'
import { formatDateTime } from '../../kit/dates'
import { phrase } from '../../kit/words'
import type { Words } from './words'

type Ctx = PageContext<Words>

/** The topics the hub uses, as each platform names them: subscribe to these. */
export const PLATFORM_TOPICS: Record<ShopPlatform, readonly string[]> = {
  shopify: [
    'orders/create',
    'orders/paid',
    'orders/fulfilled',
    'orders/cancelled',
    'refunds/create',
    'products/create',
    'products/update',
    'products/delete',
  ],
  woocommerce: ['order.created', 'order.updated', 'product.created', 'product.updated', 'product.deleted'],
}

/** Where the connection stands and how to set the platform's webhooks up. */
export const SetUp: FC<{ ctx: Ctx; connection: Out<typeof ConnectionOut> }> = ({ ctx, connection: c }) => {
  const t = ctx.t
  const platform = platformName(c.platform)
  const shopify = c.platform === 'shopify'
  return (
    <section aria-labelledby="setup_heading">
      <p class="ok" role="status">
        {phrase(ctx.lang, t.connectedTo, { platform })}
        {t.colon}
        <code>{c.shop_address}</code>
      </p>
      {c.previous_valid_until !== null && (
        <p class="meta">
          {phrase(ctx.lang, t.previousStill, {
            until: formatDateTime(Date.parse(c.previous_valid_until), ctx.lang, ctx.timeZone),
          })}
        </p>
      )}
      <p>
        {t.hookUrl}
        {t.colon}
        <br />
        <code id="hook_url">{c.hook_url}</code>
      </p>
      <h2 id="setup_heading">{phrase(ctx.lang, t.setUp, { platform })}</h2>
      <p>{shopify ? t.whereShopify : t.whereWooCommerce}</p>
      <p>
        {t.topics}
        {t.colon}
      </p>
      <ul>
        {PLATFORM_TOPICS[c.platform].map((topic) => (
          <li>
            <code>{topic}</code>
          </li>
        ))}
      </ul>
      <p>{shopify ? t.testShopify : t.testWooCommerce}</p>
      <p>{phrase(ctx.lang, t.productTargets, { n: c.products })}</p>
    </section>
  )
}

/** The latest deliveries, newest first: when, which topic, about what, its outcome and its reasons in words. */
export const Deliveries: FC<{ ctx: Ctx; deliveries: readonly DeliveryRow[]; shown: number }> = ({
  ctx,
  deliveries,
  shown,
}) => {
  const t = ctx.t
  return (
    <section aria-labelledby="deliveries_heading">
      <h2 id="deliveries_heading">{t.deliveries}</h2>
      {deliveries.length === 0 ? (
        <p>{t.noDeliveries}</p>
      ) : (
        <>
          <p class="meta">{phrase(ctx.lang, t.latestDeliveries, { n: shown })}</p>
          <ul>
            {deliveries.map((d) => {
              const reasons = reasonText(d.reason, ctx.lang)
              return (
                <li class={`voice${d.outcome === 'refused' || d.outcome === 'failed' ? ' negative' : ''}`}>
                  <strong>{wordFor(ctx.w, 'shopOutcome', d.outcome)}</strong> ·{' '}
                  {d.topic !== '' && (
                    <>
                      <code>{d.topic}</code> ·{' '}
                    </>
                  )}
                  <span class="meta">{formatDateTime(d.receivedAt, ctx.lang, ctx.timeZone)}</span>
                  {d.subject !== null && (
                    <>
                      <br />
                      {t.subject}
                      {t.colon}
                      {d.subject}
                    </>
                  )}
                  {reasons !== '' && (
                    <>
                      <br />
                      <span class="meta">
                        {reasons}
                        {ctx.lang === 'ja' ? '。' : '.'}
                      </span>
                    </>
                  )}
                </li>
              )
            })}
          </ul>
        </>
      )}
    </section>
  )
}
