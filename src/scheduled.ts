/** The Worker's cron handler (wrangler.toml [triggers]): periodic repairs. */
import { resendLostChecks } from './verification/queue'

export async function handleScheduled(_controller: ScheduledController, env: Env): Promise<void> {
  const resent = await resendLostChecks(env)
  if (resent > 0) console.log(JSON.stringify({ msg: 're-sent lost verification checks', count: resent }))
}
