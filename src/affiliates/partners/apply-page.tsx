/**
 * `/affiliates/{site}/apply` for people: the programme's terms (commission, window, the rule on
 * marking posts as advertising) and the application form, in English or Japanese, working
 * without JavaScript. A refused form comes back with every problem and what was typed. The JSON
 * and form endpoint for scripts is the same URL (./apply.ts does the work for both).
 */
import type { Context } from 'hono'
import type { Child, FC } from 'hono/jsx'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

import { clientIpOf } from '../../common/client-ip'
import { AppError, statusOf } from '../../common/errors'
import { type FieldError, fieldErrors, FormErrors, type FormLabels } from '../../common/form-errors'
import { isLang, pickLang, type PageLang } from '../../common/lang'
import { PageShell } from '../../common/page-shell'
import { TURNSTILE_SCRIPT, turnstileOf } from '../../common/turnstile'
import { formReadMessage, readUtf8Form } from '../../common/utf8-form'
import { pathParam } from '../../common/validation'
import { getDb } from '../../db/client'
import type { AppEnv } from '../../env'
import { readSettings } from '../../sites/settings'
import { findSiteBySlug, type SiteRow } from '../../sites/store'
import * as v from 'valibot'
import { ApplicationInput, submitApplication } from './apply'
import { PARTNER_WORDS, type PartnerWords } from './words'

const STYLE = `body{font:16px/1.6 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
main{max-width:36rem;margin:0 auto;padding:1rem}header{display:flex;justify-content:flex-end}
label{display:block;margin:.6rem 0 .2rem}input[type=text],input[type=email],input[type=url]{width:100%;box-sizing:border-box;font:inherit;padding:.4rem}
.check{display:flex;gap:.5rem;align-items:flex-start;margin:.8rem 0}.check label{margin:0}
button{font:inherit;padding:.5rem 1rem;margin:.8rem 0}.rule{background:#fff8e1;padding:.6rem;border-radius:6px}
.error{background:#fdecea;padding:.6rem;border-radius:6px}.ok{background:#e8f5e9;padding:.6rem;border-radius:6px}`

const NO_STORE = { 'Cache-Control': 'no-store' }

type View = { site: SiteRow; lang: PageLang; w: PartnerWords; path: string; turnstileSiteKey: string | null }

async function viewOf(c: Context<AppEnv>): Promise<View> {
  const site = await findSiteBySlug(getDb(c.env.DB), pathParam(c.req.param('site')))
  if (!site) throw new AppError('not_found', 'Site not found')
  const lang = pickLang(
    c.req.query('lang'),
    undefined,
    c.req.header('Accept-Language'),
    readSettings(site.settings).lang,
  )
  const path = `/affiliates/${encodeURIComponent(site.slug)}/apply`
  return { site, lang, w: PARTNER_WORDS[lang], path, turnstileSiteKey: turnstileOf(c.env)?.siteKey ?? null }
}

const Shell: FC<{ view: View; title: string; children?: Child }> = ({ view, title, children }) => (
  <PageShell
    lang={view.lang}
    title={title}
    style={STYLE}
    head={view.turnstileSiteKey !== null && <script src={TURNSTILE_SCRIPT} async defer></script>}
  >
    <header>
      <a href={`${view.path}?lang=${view.lang === 'ja' ? 'en' : 'ja'}`} lang={view.lang === 'ja' ? 'en' : 'ja'}>
        {view.w.language}
      </a>
    </header>
    <main>{children}</main>
  </PageShell>
)

/** The programme's commission as a person reads it: "10%" ("8.5%"). */
const percentOf = (n: number, lang: PageLang) =>
  new Intl.NumberFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { style: 'percent', maximumFractionDigits: 2 }).format(
    n / 100,
  )

/** A required one-line field with its label, showing what was typed into a refused form. */
const Input: FC<{
  name: string
  type: 'text' | 'email' | 'url'
  label: string
  max: number
  autocomplete: string
  values: ReadonlyMap<string, string> | undefined
}> = (p) => (
  <>
    <label for={p.name}>{p.label}</label>
    <input
      type={p.type}
      id={p.name}
      name={p.name}
      required
      maxlength={p.max}
      autocomplete={p.autocomplete}
      value={p.values?.get(p.name) ?? ''}
    />
  </>
)

const ApplyForm: FC<{
  view: View
  values?: ReadonlyMap<string, string> | undefined
  errors?: FieldError[] | undefined
  message?: string | undefined
}> = ({ view, values, errors, message }) => {
  const { w, site } = view
  const settings = readSettings(site.settings)
  return (
    <Shell view={view} title={w.applyTitle(site.name)}>
      <h1>{w.applyTitle(site.name)}</h1>
      <p>{w.applyIntro}</p>
      <p>{w.terms(percentOf(settings.affiliate_commission_percent, view.lang), settings.affiliate_window_days)}</p>
      <p class="rule">{w.disclosureRule}</p>
      {message && (
        <p class="error" role="alert">
          {message}
        </p>
      )}
      {errors && errors.length > 0 && <FormErrors lang={view.lang} errors={errors} text={w.checkForm} />}
      <form method="post" action={`${view.path}?lang=${view.lang}`}>
        <input type="hidden" name="lang" value={view.lang} />
        <Input name="name" type="text" label={w.name} max={100} autocomplete="name" values={values} />
        <Input name="email" type="email" label={w.email} max={254} autocomplete="email" values={values} />
        <Input name="blog_url" type="url" label={w.blogUrl} max={2048} autocomplete="url" values={values} />
        <div class="check">
          <input type="checkbox" id="disclose" name="disclose" required checked={values?.get('disclose') === 'on'} />
          <label for="disclose">{w.agree}</label>
        </div>
        {view.turnstileSiteKey !== null && <div class="cf-turnstile" data-sitekey={view.turnstileSiteKey}></div>}
        <button type="submit">{w.send}</button>
      </form>
    </Shell>
  )
}

/** GET: the programme's terms and the form. */
export async function applicationPage(c: Context<AppEnv>) {
  return c.html(<ApplyForm view={await viewOf(c)} />, 200, NO_STORE)
}

/** POST from the page: the thank-you page, or the form again with every problem (what was typed kept). */
export async function applicationFromPage(c: Context<AppEnv>) {
  const view = await viewOf(c)
  const { w } = view
  const again = (
    status: ContentfulStatusCode,
    o: { errors?: FieldError[]; message?: string },
    values?: ReadonlyMap<string, string>,
  ) => c.html(<ApplyForm view={view} values={values} errors={o.errors} message={o.message} />, status, NO_STORE)
  const form = await readUtf8Form(c.req.raw)
  if (!form.ok) return again(form.status, { message: formReadMessage(form.reason, view.lang) })
  const text = form.fields.text
  const lang = text.get('lang')
  const input = {
    name: text.get('name') ?? '',
    email: text.get('email') ?? '',
    blog_url: text.get('blog_url')?.trim() ?? '',
    lang: isLang(lang) ? lang : view.lang,
  }
  const labels: FormLabels = {
    name: { field: 'name', label: w.name },
    email: { field: 'email', label: w.email },
    blog_url: { field: 'blog_url', label: w.blogUrl },
  }
  const parsed = v.safeParse(ApplicationInput, input, { lang: view.lang })
  const errors = parsed.success ? [] : fieldErrors(parsed.issues, labels)
  if (text.get('disclose') !== 'on') errors.push({ field: 'disclose', label: w.agree, message: w.agreeNeeded })
  if (!parsed.success || errors.length > 0) return again(400, { errors }, text)
  try {
    const fields = Object.fromEntries(text)
    await submitApplication(c.env, view.site.slug, parsed.output, fields, clientIpOf(c.req), c.var.now)
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    const message =
      err.code === 'conflict'
        ? w.alreadyApplied
        : err.code === 'rate_limited'
          ? w.tooMany
          : err.code === 'forbidden'
            ? w.turnstile
            : err.messageIn(view.lang)
    return again(statusOf(err.code), { message }, text)
  }
  return c.html(
    <Shell view={view} title={w.thanksTitle}>
      <h1>{w.thanksTitle}</h1>
      <p class="ok" role="status">
        {w.thanks(parsed.output.email)}
      </p>
    </Shell>,
    202,
    NO_STORE,
  )
}
