import type { HonoRequest } from 'hono'

/** The sender's address as Cloudflare reports it (flood limits key on it). */
export const clientIpOf = (req: Pick<HonoRequest, 'header'>) => req.header('CF-Connecting-IP') ?? 'unknown'
