/**
 * Which URLs the hub may fetch. Webmention, Pingback and TrackBack make the hub fetch a URL
 * that a stranger chose, so every hop is checked here before it is requested (SSRF; see
 * as WordPress's wp_http_validate_url does).
 *
 * Workers have no DNS API, so a host name is judged by its name only: literal addresses in
 * private, loopback, link-local (cloud metadata), CGNAT, multicast and reserved ranges are
 * refused, as are `localhost` and names that only resolve inside a network. A public name
 * that resolves to a private address is the residual risk; Cloudflare's own egress does not
 * reach private networks.
 */
import { isDevelopment } from './environment'

/** Why the hub would not fetch a URL (this module's checks, and redirects the fetcher would not follow); stored as reasons. */
export const FETCH_REFUSALS = [
  'hub_itself',
  'unsupported_scheme',
  'credentials_in_url',
  'forbidden_port',
  'private_address',
  'internal_host',
  'invalid_url',
  'too_many_redirects',
  'bad_redirect',
] as const
export type FetchRefusal = (typeof FETCH_REFUSALS)[number]

export type AddressPolicy = {
  /** Dev only: allow http(s) to 127.0.0.1, [::1] and localhost on any port. */
  allowLoopback: boolean
  /**
   * The hub's own hosts, never fetched: a ping, an announcement or a webhook must not make the
   * hub call itself. `host` (any port) or `host:port` (that port only, as in local development).
   */
  forbiddenHosts?: readonly string[]
}

/** Why a URL may not be fetched (redirects add their own two refusals: see FETCH_REFUSALS). */
export type Refusal = Exclude<FetchRefusal, 'too_many_redirects' | 'bad_redirect'>

const ALLOWED_PORTS = new Set(['', '80', '443', '8080'])

/** Names that resolve only on the local machine or inside a private network. */
const INTERNAL_SUFFIXES = ['.localhost', '.local', '.internal', '.intranet', '.lan', '.home.arpa', '.corp']

/** Why `url` must not be fetched, or null when it may be. */
export function refusalFor(url: URL, policy: AddressPolicy): Refusal | null {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'unsupported_scheme'
  if (url.username !== '' || url.password !== '') return 'credentials_in_url'
  const host = url.hostname.toLowerCase().replace(/\.$/, '')
  if (host === '') return 'invalid_url'
  if (policy.forbiddenHosts?.some((h) => isHost(h, host, url.port))) return 'hub_itself'

  if (policy.allowLoopback && isLoopbackHost(host)) return null
  if (!ALLOWED_PORTS.has(url.port)) return 'forbidden_port'

  if (host.startsWith('[')) return isPublicIpv6(host.slice(1, -1)) ? null : 'private_address'
  const v4 = parseIpv4(host)
  if (v4 !== null) return isPublicIpv4(v4) ? null : 'private_address'
  if (host === 'localhost' || !host.includes('.') || INTERNAL_SUFFIXES.some((s) => host.endsWith(s))) {
    return 'internal_host'
  }
  return null
}

/** True when `entry` (`host` or `host:port`) names this host (and port, when it gives one). */
function isHost(entry: string, host: string, port: string): boolean {
  const named = URL.parse(`http://${entry}`)
  if (!named) return false
  const sameHost = named.hostname.toLowerCase().replace(/\.$/, '') === host
  return sameHost && (!/:\d+$/.test(entry) || named.port === port)
}

/** True when `url` lies on one of `hosts` (entries as in `forbiddenHosts`). */
export function onHosts(url: string, hosts: readonly string[]): boolean {
  const parsed = URL.parse(url)
  const host = parsed?.hostname.toLowerCase().replace(/\.$/, '')
  return !!parsed && !!host && hosts.some((h) => isHost(h, host, parsed.port))
}

/** The host (with its port, if any) of the hub at `url`, for `forbiddenHosts`; null when `url` is no URL. */
export const hubHostOf = (url: string | null | undefined) => (url ? (URL.parse(url)?.host ?? null) : null) || null

function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]') return true
  const v4 = parseIpv4(host)
  return v4 !== null && v4 >>> 24 === 127
}

/** A dotted-quad as the WHATWG URL parser leaves it (it already rewrote 0x7f.1 and 2130706433). */
function parseIpv4(host: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)
  if (!m) return null
  const parts = m.slice(1).map(Number)
  if (parts.some((p) => p > 255)) return null
  return parts.reduce((address, part) => address * 256 + part, 0)
}

/** [network, prefix length] pairs that are not the public internet (IANA special-purpose registry). */
const IPV4_BLOCKED: [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local: cloud metadata lives here
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255
]

const IPV4_RANGES = IPV4_BLOCKED.map(([net, bits]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
  const address = parseIpv4(net)
  if (address === null) throw new Error(`not an IPv4 network: ${net}`)
  return { net: (address & mask) >>> 0, mask }
})

export function isPublicIpv4(addr: number): boolean {
  return !IPV4_RANGES.some(({ net, mask }) => (addr & mask) >>> 0 === net)
}

/** Eight 16-bit groups of an IPv6 address (URL-serialised: lower-case, compressed, no zone), or null. */
function parseIpv6(text: string): number[] | null {
  let body = text
  const tail: number[] = []
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(body)
  if (dotted) {
    const [, groupsPart = '', quad = ''] = dotted
    const v4 = parseIpv4(quad)
    if (v4 === null) return null
    tail.push(v4 >>> 16, v4 & 0xffff)
    body = groupsPart.endsWith('::') ? groupsPart : groupsPart.slice(0, -1)
  }
  const halves = body.split('::')
  const [before = '', after] = halves
  if (halves.length > 2) return null
  const groups = (s: string) =>
    s === '' ? [] : s.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN))
  const head = groups(before)
  const rest = after === undefined ? [] : groups(after)
  const fill = 8 - head.length - rest.length - tail.length
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return null
  const all = [...head, ...Array<number>(halves.length === 2 ? fill : 0).fill(0), ...rest, ...tail]
  return all.length === 8 && all.every((g) => Number.isInteger(g)) ? all : null
}

export function isPublicIpv6(text: string): boolean {
  const g = parseIpv6(text)
  if (!g) return false
  const [a = 0, b = 0, c = 0, , , , y = 0, z = 0] = g
  const embeddedV4 = () => ((y << 16) | z) >>> 0
  if (g.slice(0, 6).every((x) => x === 0)) return false // ::, ::1 and IPv4-compatible
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return isPublicIpv4(embeddedV4()) // IPv4-mapped
  if (a === 0x64 && b === 0xff9b) return isPublicIpv4(embeddedV4()) // NAT64
  if (a === 0x2002) return isPublicIpv4(((b << 16) | c) >>> 0) // 6to4 carries its IPv4
  if ((a & 0xfe00) === 0xfc00) return false // unique local fc00::/7
  if ((a & 0xffc0) === 0xfe80) return false // link-local fe80::/10
  if ((a & 0xff00) === 0xff00) return false // multicast
  if (a === 0x2001 && b === 0x0db8) return false // documentation
  if (a === 0x2001 && b < 0x200) return false // Teredo and IETF protocol assignments
  if (a === 0x100 && g[1] === 0 && g[2] === 0 && g[3] === 0) return false // discard-only
  return true
}

/**
 * The address policy in force: loopback sources only on a local hub whose dev setting allows
 * them (a deployed hub never fetches loopback, whatever it says), and never the hub itself —
 * HUB_ORIGIN's host and `hubHosts` (the host a request came to).
 */
export const policyOf = (
  env: Pick<Env, 'ALLOW_LOOPBACK_SOURCES' | 'HUB_ORIGIN'> & { ENVIRONMENT?: string | undefined },
  hubHosts: readonly (string | null | undefined)[] = [],
): AddressPolicy => ({
  allowLoopback: isDevelopment(env) && env.ALLOW_LOOPBACK_SOURCES === 'true',
  forbiddenHosts: [hubHostOf(env.HUB_ORIGIN), ...hubHosts].filter((h): h is string => !!h),
})
