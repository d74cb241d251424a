/** The new-shop page (the operator's): name, slug, storefront origins, language, time zone, currency. */
import type { FC } from 'hono/jsx'

import type { PageContext } from '../../kit/context'
import { InputField, SelectField, TextField } from '../../kit/fields'
import { Csrf, type FormValues, Layout, type Notice, NoticeLine } from '../../kit/layout'
import { proposedFor } from './form'
import type { Words } from './words'

/** Every IANA zone the runtime knows, for the time zone's select. */
const ZONES: readonly string[] = Intl.supportedValuesOf('timeZone')

export const CreatePage: FC<{ ctx: PageContext<Words>; notice: Notice | null; values?: FormValues }> = ({
  ctx,
  notice,
  values,
}) => {
  const t = ctx.t
  // Proposed from the console's language until the operator types otherwise.
  const lang = values?.get('lang') ?? ctx.lang
  const proposed = proposedFor(lang)
  const value = (name: string, fallback = '') => values?.get(name) ?? fallback
  return (
    <Layout ctx={ctx} title={t.newShop}>
      <p>
        <a href="/admin">← {t.allShops}</a>
      </p>
      <h1>{t.newShop}</h1>
      <p class="meta">{t.newShopHelp}</p>
      <NoticeLine ctx={ctx} notice={notice} />
      <form method="post" action="/admin/sites/new">
        <Csrf ctx={ctx} />
        <InputField name="name" label={t.siteName} required maxlength={200} value={value('name')} />
        <InputField name="slug" label={t.slug} help={t.slugHelp} required value={value('slug')} />
        <TextField name="origins" label={t.origins} help={t.originsHelp} required value={value('origins')} />
        <SelectField
          name="lang"
          label={t.shopLang}
          required
          value={lang}
          options={[
            { value: 'en', label: t.english },
            { value: 'ja', label: t.japanese },
          ]}
        />
        <SelectField
          name="time_zone"
          label={t.timeZone}
          help={t.timeZoneHelp}
          value={value('time_zone', proposed.time_zone)}
          options={[{ value: '', label: t.chooseZone }, ...ZONES.map((z) => ({ value: z, label: z }))]}
        />
        <InputField
          name="currency"
          label={t.currency}
          help={t.currencyHelp}
          maxlength={3}
          value={value('currency', proposed.currency)}
        />
        <p>
          <button type="submit">{t.create}</button>
        </p>
      </form>
    </Layout>
  )
}
