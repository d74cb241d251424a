import { AppError } from './errors'

/** Who is calling the operator API: the operator (every site) or one site's key. */
export type Principal = { kind: 'operator' } | { kind: 'site'; siteId: number; keyId: string }

/** A short name for the moderation log. */
export const actorName = (p: Principal) => (p.kind === 'operator' ? 'operator' : p.keyId)

/**
 * Throws not_found (never forbidden) when the principal may not touch the site, so a key
 * cannot learn whether another site's slugs or ids exist.
 */
const NOT_FOUND_JA: Record<string, string> = {
  Site: 'サイトが見つかりません',
  Mention: '声が見つかりません',
  'Webhook endpoint': '送信先が見つかりません',
  Response: '回答が見つかりません',
}

export function assertSiteAccess(p: Principal, siteId: number, what = 'Site'): void {
  if (p.kind === 'site' && p.siteId !== siteId)
    throw new AppError('not_found', `${what} not found`, NOT_FOUND_JA[what] ?? '見つかりません')
}

export function assertOperator(p: Principal): void {
  if (p.kind !== 'operator') {
    throw new AppError(
      'forbidden',
      'This action needs the operator token',
      'この操作にはオペレータートークンが必要です',
    )
  }
}
