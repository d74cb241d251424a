/**
 * Bindings and secrets a deployment may go without: wrangler.toml leaves them commented out,
 * or they are secrets not every hub sets. Declared here (beside the generated
 * worker-configuration.d.ts), so the code reads them typed and checks for each before use.
 */
declare namespace Cloudflare {
  interface Env {
    /** Turnstile on the public forms (`wrangler secret put TURNSTILE_SECRET`; TURNSTILE_SITE_KEY is in [vars]). */
    TURNSTILE_SECRET?: string
    /** E-mail from the hub: review invitations, partners' sign-in links ([[send_email]] in wrangler.toml). */
    EMAIL?: { send(message: { from: string; to: string; subject: string; text: string }): Promise<unknown> }
    /** Workers AI, for the sentiment of voices the local reader is unsure about ([ai] in wrangler.toml; docs/sentiment.md). */
    AI?: { run(model: string, input: { text: string }): Promise<unknown> }
  }
}
