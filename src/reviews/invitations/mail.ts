/**
 * The invitation e-mail, in English and Japanese. The same neutral words for every buyer:
 * they ask how the product was, never for a good review, and say that the thank-you coupon
 * (when there is one) comes whatever the rating.
 */
import type { Mail } from '../../common/mail'

export type InvitationFacts = {
  shop: string
  name: string | null
  link: string
  products: string[]
  /** The coupon's description; '' when offered without one; null when no coupon is offered. */
  offer: string | null
}

export function invitationMail(lang: 'en' | 'ja', f: InvitationFacts): Mail {
  const list = f.products.map((p) => `- ${p}`).join('\n')
  if (lang === 'ja') {
    return {
      subject: `${f.shop}：ご購入の商品はいかがでしたか`,
      text: [
        f.name ? `${f.name} 様` : 'お客様',
        '',
        `${f.shop}をご利用いただきありがとうございます。`,
        'お届けした商品の使い心地を、良い点も悪い点もそのままお聞かせください。',
        '',
        list,
        '',
        f.link,
        '',
        ...(f.offer !== null
          ? [
              `ご感想をお寄せいただいた方には、評価の内容にかかわらずクーポン${f.offer ? `（${f.offer}）` : ''}をお送りします。`,
              '',
            ]
          : []),
        'いただいたご感想は、ショップの回答とともに公開されます。このリンクはご本人専用です。',
      ].join('\n'),
    }
  }
  return {
    subject: `How was your order from ${f.shop}?`,
    text: [
      `Hello${f.name ? ` ${f.name}` : ''},`,
      '',
      `Thank you for shopping at ${f.shop}. How was what we sent you? Please tell us honestly — the good and the bad.`,
      '',
      list,
      '',
      f.link,
      '',
      ...(f.offer !== null
        ? [
            `Everyone who writes a review gets a thank-you coupon${f.offer ? ` (${f.offer})` : ''}, whatever the rating.`,
            '',
          ]
        : []),
      'Reviews are published with the shop’s answers. This link is yours alone.',
    ].join('\n'),
  }
}
