/**
 * The hosted review pages (hono/jsx, which escapes every value). They work without
 * JavaScript — plain forms, one column on a phone — and load a script only for Turnstile
 * when it is configured.
 */
import type { Child, FC } from 'hono/jsx'

import type { VoiceRow } from '../../voices/store'
import { parseResponses } from '../../voices/responses-json'
import { type FieldError, FormErrors } from '../../common/form-errors'
import { formatDate } from '../../common/lang'
import { PageShell } from '../../common/page-shell'
import { TURNSTILE_SCRIPT } from '../../common/turnstile'
import { readSettings } from '../../sites/settings'
import type { TargetRow } from '../../targets/store'
import type { ReviewLink } from './service'
import { REVIEW_WORDS, type ReviewLang, type ReviewWords } from './words'

const STYLE = `
body{font:16px/1.6 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
main{max-width:36rem;margin:0 auto;padding:1rem}
fieldset{border:1px solid #ddd;border-radius:8px;margin:1rem 0;padding:.8rem;background:#fff}
legend{font-weight:bold}
label{display:block;margin:.5rem 0 .2rem}
input[type=text],textarea{width:100%;box-sizing:border-box;font:inherit;padding:.4rem}
textarea{min-height:8rem}
.stars{display:flex;flex-wrap:wrap;gap:.2rem .8rem}.stars label{display:inline;margin:0}
button{font:inherit;padding:.5rem 1rem;margin:.5rem 0}
.error{background:#fdecea;padding:.6rem;border-radius:6px}.ok{background:#e8f5e9;padding:.6rem;border-radius:6px}
.coupon{font:1.4em monospace;background:#fff8e1;padding:.5rem;border-radius:6px;display:inline-block}
.answer{border-left:3px solid #1f3a4d;padding-left:.6rem;margin:.6rem 0}
.meta{color:#555;font-size:.9em}
`

export type PageCtx = { lang: ReviewLang; w: ReviewWords; path: string; turnstileSiteKey: string | null }

export const ctxOf = (lang: ReviewLang, path: string, turnstileSiteKey: string | null): PageCtx => ({
  lang,
  w: REVIEW_WORDS[lang],
  path,
  turnstileSiteKey,
})

const Page: FC<{ ctx: PageCtx; title: string; children?: Child }> = ({ ctx, title, children }) => (
  <PageShell
    lang={ctx.lang}
    title={title}
    style={STYLE}
    noindex
    head={ctx.turnstileSiteKey !== null && <script src={TURNSTILE_SCRIPT} async defer></script>}
  >
    <main>
      <p>
        <a href={`${ctx.path}?lang=${ctx.lang === 'ja' ? 'en' : 'ja'}`} lang={ctx.lang === 'ja' ? 'en' : 'ja'}>
          {ctx.w.language}
        </a>
      </p>
      {children}
    </main>
  </PageShell>
)

export const MessagePage: FC<{ ctx: PageCtx; text: string }> = ({ ctx, text }) => (
  <Page ctx={ctx} title={ctx.w.title}>
    <p class="error">{text}</p>
  </Page>
)

/** What the buyer typed, kept when the form comes back with an error. */
export type FormValues = { name: string; entries: { rating: string; title: string; text: string }[] }

const emptyValues = (n: number): FormValues => ({
  name: '',
  entries: Array.from({ length: n }, () => ({ rating: '', title: '', text: '' })),
})

const offerOf = (link: ReviewLink) => readSettings(link.site.settings).coupons.offer ?? ''

/** The shop's own words for part of the page in this language, when it wrote some. */
const shopText = (link: ReviewLink, lang: ReviewLang, part: 'intro' | 'thanks') =>
  readSettings(link.site.settings).review_texts[lang]?.[part] || undefined

/** The shop's words (plain text, a paragraph per blank-line-separated block), or the hub's. */
const ShopWords: FC<{ text: string | undefined; fallback: string; class?: string }> = (props) => (
  <>
    {(props.text ?? props.fallback).split(/\n\s*\n/).map((block) => (
      <p class={props.class} style="white-space:pre-line">
        {block.trim()}
      </p>
    ))}
  </>
)

const Stars: FC<{ ctx: PageCtx; name: string; value: string; optional: boolean }> = ({
  ctx,
  name,
  value,
  optional,
}) => (
  <div class="stars" role="radiogroup" aria-label={ctx.w.rating}>
    {[5, 4, 3, 2, 1].map((n) => (
      <label>
        <input type="radio" name={name} value={String(n)} checked={value === String(n)} /> {ctx.w.stars(n)}
      </label>
    ))}
    {optional && (
      <label>
        <input type="radio" name={name} value="" checked={value === ''} /> {ctx.w.skip}
      </label>
    )}
  </div>
)

const Turnstile: FC<{ ctx: PageCtx }> = ({ ctx }) =>
  ctx.turnstileSiteKey !== null ? <div class="cf-turnstile" data-sitekey={ctx.turnstileSiteKey}></div> : null

export const ReviewFormPage: FC<{ ctx: PageCtx; link: ReviewLink; values?: FormValues; errors?: FieldError[] }> = ({
  ctx,
  link,
  values,
  errors,
}) => {
  const v = values ?? emptyValues(link.targets.length)
  const products = link.invitation.items
    .map((id) => link.targets.find((t) => t.id === id))
    .filter((t): t is TargetRow => t !== undefined)
  return (
    <Page ctx={ctx} title={`${ctx.w.title} — ${link.site.name}`}>
      <h1>{link.site.name}</h1>
      <ShopWords text={shopText(link, ctx.lang, 'intro')} fallback={ctx.w.intro} />
      {link.invitation.couponOffered && (
        <p>
          {ctx.w.couponNote}
          {offerOf(link) && ` (${offerOf(link)})`}
        </p>
      )}
      {errors && errors.length > 0 && <FormErrors lang={ctx.lang} errors={errors} text={ctx.w.error} />}
      <form method="post" action={ctx.path} enctype="multipart/form-data">
        {products.map((t, i) => (
          <fieldset>
            <legend>{t.title}</legend>
            <label id={`rating_${i}`}>{ctx.w.rating}</label>
            <Stars ctx={ctx} name={`rating_${i}`} value={v.entries[i]?.rating ?? ''} optional={products.length > 1} />
            <input type="hidden" name={`target_${i}`} value={t.id} />
            <label for={`title_${i}`}>{ctx.w.reviewTitle}</label>
            <input
              type="text"
              id={`title_${i}`}
              name={`title_${i}`}
              maxlength={100}
              value={v.entries[i]?.title ?? ''}
            />
            <label for={`text_${i}`}>{ctx.w.text}</label>
            <textarea id={`text_${i}`} name={`text_${i}`} maxlength={5000}>
              {v.entries[i]?.text ?? ''}
            </textarea>
            <label for={`photos_${i}`}>{ctx.w.photos}</label>
            <input
              type="file"
              id={`photos_${i}`}
              name={`photos_${i}`}
              accept="image/jpeg,image/png,image/webp"
              multiple
            />
          </fieldset>
        ))}
        <label for="name">{ctx.w.name}</label>
        <input type="text" id="name" name="name" required maxlength={50} value={v.name} />
        <Turnstile ctx={ctx} />
        <button type="submit" id="submit">
          {ctx.w.submit}
        </button>
      </form>
    </Page>
  )
}

const ReviewBlock: FC<{ ctx: PageCtx; link: ReviewLink; review: VoiceRow; title: string }> = ({
  ctx,
  link,
  review,
  title,
}) => {
  const base = ctx.path
  const answers = parseResponses(review.responsesJson)
  // Dates in the shop's time zone, as on the answer's own page.
  const when = (ms: number) =>
    formatDate(ms, ctx.lang, { timeZone: readSettings(link.site.settings).time_zone, time: true })
  return (
    <fieldset id={review.id}>
      <legend>{title}</legend>
      {review.status === 'removed' ? (
        <p class="meta">{ctx.w.deleted}</p>
      ) : review.status !== 'published' ? (
        <p class="meta">{ctx.w.hidden}</p>
      ) : link.can.edit ? (
        <form method="post" action={`${base}/reviews/${review.id}`}>
          <label id={`r_${review.id}`}>{ctx.w.rating}</label>
          <Stars ctx={ctx} name="rating" value={String(review.rating ?? '')} optional={false} />
          <label for={`t_${review.id}`}>{ctx.w.reviewTitle}</label>
          <input type="text" id={`t_${review.id}`} name="title" maxlength={100} value={review.title ?? ''} />
          <label for={`x_${review.id}`}>{ctx.w.text}</label>
          <textarea id={`x_${review.id}`} name="text" maxlength={5000}>
            {review.excerpt ?? ''}
          </textarea>
          <button type="submit">{ctx.w.edit}</button>
        </form>
      ) : (
        <div>
          <p>
            {ctx.w.stars(review.rating ?? 0)} — <strong>{review.title ?? ''}</strong>
          </p>
          <p>{review.excerpt ?? ''}</p>
        </div>
      )}
      {answers.map((a) => (
        <div class="answer">
          <p class="meta">
            {ctx.w.shopAnswer} — {a.author_name}
            {a.author_role ? ` (${a.author_role})` : ''}
            {a.edited_at !== null && a.withdrawn_at === null && ` · ${ctx.w.answerEdited} ${when(a.edited_at)}`}
          </p>
          {a.withdrawn_at === null ? (
            <p>{a.body}</p>
          ) : (
            <p class="meta">
              {ctx.w.answerWithdrawn(when(a.withdrawn_at))} {a.withdrawn_reason}
            </p>
          )}
        </div>
      ))}
      {answers.some((a) => a.withdrawn_at === null) && review.status === 'published' && (
        <form method="post" action={`${base}/reviews/${review.id}/verdict`}>
          <p>
            {ctx.w.resolvedQuestion}
            {review.authorVerdict &&
              ` ${ctx.w.youSaid} ${review.authorVerdict === 'resolved' ? ctx.w.resolved : ctx.w.unresolved}`}
          </p>
          <button type="submit" name="resolved" value="yes">
            {ctx.w.yes}
          </button>{' '}
          <button type="submit" name="resolved" value="no">
            {ctx.w.no}
          </button>
        </form>
      )}
      {review.status !== 'removed' && (
        <form method="post" action={`${base}/reviews/${review.id}/delete`}>
          <button type="submit">{ctx.w.delete}</button>
        </form>
      )}
    </fieldset>
  )
}

export const ReviewsPage: FC<{ ctx: PageCtx; link: ReviewLink; thanks: boolean; errors?: FieldError[] }> = ({
  ctx,
  link,
  thanks,
  errors,
}) => {
  const titleOf = (id: string) => link.targets.find((t) => t.id === id)?.title ?? id
  return (
    <Page ctx={ctx} title={`${ctx.w.yourReviews} — ${link.site.name}`}>
      <h1>{link.site.name}</h1>
      {thanks && <ShopWords text={shopText(link, ctx.lang, 'thanks')} fallback={ctx.w.thanks} class="ok" />}
      {errors && errors.length > 0 && <FormErrors lang={ctx.lang} errors={errors} text={ctx.w.error} />}
      {link.invitation.couponOffered &&
        (link.invitation.couponCode ? (
          <p>
            {ctx.w.yourCoupon}: <span class="coupon">{link.invitation.couponCode}</span>
          </p>
        ) : (
          <p>{ctx.w.couponLater}</p>
        ))}
      <h2>{ctx.w.yourReviews}</h2>
      <p class="meta">
        {link.can.edit ? `${ctx.w.editUntil} ${formatDate(link.invitation.editUntil ?? 0, ctx.lang)}` : ctx.w.editOver}
      </p>
      {link.reviews.map((r) => (
        <ReviewBlock ctx={ctx} link={link} review={r} title={titleOf(r.targetId)} />
      ))}
    </Page>
  )
}
