/**
 * An address the hub is asked to fetch or post to later (a webhook endpoint, a watched feed):
 * checked now by the same address policy as every outbound request, and refused in words.
 */
import { type AddressPolicy, refusalFor } from '../common/address-policy'
import { AppError } from '../common/errors'
import { refusalSentence } from './check'

/** The URL as the hub will use it; invalid_input (in English and Japanese) when the policy refuses it. */
export function checkRemoteUrl(url: string, policy: AddressPolicy, o: { field: string; httpsOnly: boolean }): string {
  const parsed = URL.parse(url)
  if (!parsed)
    throw new AppError('invalid_input', `${o.field}: must be an absolute URL`, 'URL：完全なURLを入力してください')
  const refusal = refusalFor(parsed, policy)
  if (refusal)
    throw new AppError(
      'invalid_input',
      `${o.field}: ${refusalSentence(refusal, 'This address', 'en')}`,
      `URL：${refusalSentence(refusal, 'このアドレス', 'ja')}`,
    )
  if (o.httpsOnly && parsed.protocol !== 'https:' && !policy.allowLoopback)
    throw new AppError('invalid_input', `${o.field}: must be https`, 'URL：https:// で始まるアドレスにしてください')
  return parsed.href
}
