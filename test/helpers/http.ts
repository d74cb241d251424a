import { exports } from 'cloudflare:workers'

export const HUB = 'http://hub.test'
export const OPERATOR_TOKEN = 'test-operator-token'

/** A request to the Worker's own fetch handler, as the outside world would send it. */
export const call = (path: string, init?: RequestInit) => exports.default.fetch(new Request(HUB + path, init))

/** A JSON API call; the operator token unless another is given (null: none). */
export function api(method: string, path: string, body?: unknown, token: string | null = OPERATOR_TOKEN) {
  const headers: Record<string, string> = {}
  if (token !== null) headers.Authorization = `Bearer ${token}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  return call(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
}

export const rowsRead = (res: Response) => Number(res.headers.get('X-D1-Rows-Read'))
