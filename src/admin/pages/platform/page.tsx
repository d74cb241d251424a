/**
 * A site's shop platform: connecting Shopify or WooCommerce (the platform, the shop's address on
 * it, the secret it signs with — never shown back), the address and topics to set up there, what
 * orders and products do (the settings they follow), the latest deliveries, and disconnecting.
 */
import type { FC } from 'hono/jsx'

import type { Out } from '../../../common/outputs'
import { SHOP_PLATFORMS } from '../../../db/schema'
import type { ConnectionOut } from '../../../connectors/outputs'
import { platformName } from '../../../connectors/receive'
import type { DeliveryRow } from '../../../connectors/store'
import type { SiteSettings } from '../../../sites/settings'
import type { SiteRow } from '../../../sites/store'
import type { PageContext } from '../../kit/context'
import { InputField, SelectField } from '../../kit/fields'
import { Csrf, type FormValues, Layout, type Notice, NoticeLine, SiteHeading } from '../../kit/layout'
import { phrase } from '../../kit/words'
import { Deliveries, SetUp } from './parts'
import type { Words } from './words'

type Ctx = PageContext<Words>
type Connection = Out<typeof ConnectionOut>

export const platformPath = (slug: string) => `/admin/sites/${encodeURIComponent(slug)}/platform`

/** The platform, the shop's address on it and its secret: to connect, or to change them. */
const ConnectForm: FC<{ ctx: Ctx; action: string; connection: Connection | null; values: FormValues }> = ({
  ctx,
  action,
  connection,
  values,
}) => {
  const t = ctx.t
  return (
    <form method="post" action={action}>
      <Csrf ctx={ctx} />
      <fieldset>
        <legend>{connection ? t.changeLegend : t.connectLegend}</legend>
        <SelectField
          name="platform"
          label={t.platformField}
          required
          value={values?.get('platform') ?? connection?.platform}
          options={SHOP_PLATFORMS.map((p) => ({ value: p, label: platformName(p) }))}
        />
        <InputField
          name="shop_address"
          label={t.shopAddress}
          help={t.shopAddressHelp}
          required
          maxlength={200}
          autocomplete="off"
          value={values?.get('shop_address') ?? connection?.shop_address ?? ''}
        />
        {/* The secret is never shown back, not even after a refusal. */}
        <InputField
          name="secret"
          label={t.secret}
          help={connection ? [t.secretHelp, t.secretChangeHelp].join(ctx.lang === 'ja' ? '' : ' ') : t.secretHelp}
          type="password"
          required
          maxlength={200}
          autocomplete="off"
          value=""
        />
        <p>
          <button type="submit">{connection ? t.save : t.connect}</button>
        </p>
      </fieldset>
    </form>
  )
}

/** When invitations start and which products become targets; the delay and the currency, with where to change them. */
const MappingForm: FC<{ ctx: Ctx; site: SiteRow; settings: SiteSettings; values: FormValues }> = ({
  ctx,
  site,
  settings,
  values,
}) => {
  const t = ctx.t
  const base = `/admin/sites/${encodeURIComponent(site.slug)}`
  return (
    <form method="post" action={`${platformPath(site.slug)}/settings`}>
      <Csrf ctx={ctx} />
      <fieldset>
        <legend>{t.mapping}</legend>
        <SelectField
          name="shop_invite_on"
          label={t.inviteOn}
          help={t.inviteOnHelp}
          value={values?.get('shop_invite_on') ?? settings.shop_invite_on}
          options={[
            { value: 'delivered', label: t.inviteOnDelivered },
            { value: 'paid', label: t.inviteOnPaid },
          ]}
        />
        <p class="meta">
          {phrase(ctx.lang, t.delayLine, { n: settings.review_invitation_delay_days })}{' '}
          <a href={`${base}/reviews#delay_days`}>{t.toReviews}</a>
        </p>
        <InputField
          name="shop_target_tag"
          label={t.targetTag}
          help={t.targetTagHelp}
          maxlength={100}
          value={values?.get('shop_target_tag') ?? settings.shop_target_tag ?? ''}
        />
        <p class="meta">
          {phrase(ctx.lang, t.currencyLine, { currency: settings.currency })}{' '}
          <a href={`${base}/partners#currency`}>{t.toPartners}</a>
        </p>
        <p>
          <button type="submit">{t.save}</button>
        </p>
      </fieldset>
    </form>
  )
}

/** Disconnecting asks first: the button opens the question, and only its answer disconnects. */
const Disconnect: FC<{ ctx: Ctx; action: string; connection: Connection }> = ({ ctx, action, connection }) => {
  const platform = platformName(connection.platform)
  return (
    <details class="confirm">
      <summary>{ctx.t.disconnect}</summary>
      <form method="post" action={action}>
        <Csrf ctx={ctx} />
        <p>{phrase(ctx.lang, ctx.t.disconnectConfirm, { platform })}</p>
        <button type="submit">{phrase(ctx.lang, ctx.t.disconnectYes, { platform })}</button>
      </form>
    </details>
  )
}

export const PlatformPage: FC<{
  ctx: Ctx
  site: SiteRow
  settings: SiteSettings
  connection: Connection | null
  deliveries: readonly DeliveryRow[]
  shown: number
  notice: Notice | null
  values?: FormValues
}> = ({ ctx, site, settings, connection, deliveries, shown, notice, values }) => {
  const t = ctx.t
  const path = platformPath(site.slug)
  // What was typed comes back only into the form it was typed in.
  const typedIn = (name: string) => (values?.has(name) ? values : undefined)
  return (
    <Layout ctx={ctx} title={`${t.platform}${t.colon}${site.name}`}>
      <SiteHeading ctx={ctx} site={site} title={t.platform} />
      <p class="meta">{t.platformHelp}</p>
      <NoticeLine ctx={ctx} notice={notice} />
      {connection ? <SetUp ctx={ctx} connection={connection} /> : <p>{t.notConnected}</p>}
      <ConnectForm ctx={ctx} action={path} connection={connection} values={typedIn('platform')} />
      <MappingForm ctx={ctx} site={site} settings={settings} values={typedIn('shop_invite_on')} />
      <Deliveries ctx={ctx} deliveries={deliveries} shown={shown} />
      {connection && <Disconnect ctx={ctx} action={`${path}/disconnect`} connection={connection} />}
    </Layout>
  )
}
