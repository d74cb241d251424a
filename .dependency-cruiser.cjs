/**
 * Which way src/ may depend (`npm run deps`, part of `npm test`).
 *
 * Services follow the layers below, lowest first: a module may import its own folder and the
 * folders of lower layers, never a folder of its own layer or above — so a feature never
 * reaches up into one that builds on it. Route modules (`routes.ts(x)`, `*-routes.ts(x)`) are
 * the top of every feature: they compose services of any folder, and nothing but app.ts (or
 * another route module) imports them. The entry points (index.ts, app.ts, queues.ts,
 * scheduled.ts) come last; no module imports an import cycle. docs/architecture.md says why
 * each folder sits where it does.
 *
 * `corrections/` (corrected and withdrawn answers; a voice's lifecycle to come) builds on voices
 * and responses. Two capabilities still to come have their rows already, so each arrives as its
 * own folder with one direction of imports: `fediverse/` (the shop's ActivityPub actor: replies
 * are voices, answers and their corrections federate) builds on them and on the linkbacks'
 * intake; `connectors/` (Shopify, WooCommerce: orders and products in) builds on reviews and
 * targets. The two roads in never import each other. Inside admin/, each page's folder
 * (`admin/pages/<page>/`) is its own: it imports admin/kit/ and lower layers, never another
 * page's folder; admin/kit/ imports no page.
 */
const LAYERS = [
  ['common'], // helpers and infrastructure: errors, validation, the address policy and remote fetcher, cursors, hub URLs
  ['db'], // schema, client, keyset, metering
  ['outbox'], // every outbound message recorded with the change that causes it, and the cron's sweep of lost ones
  ['mail'], // e-mail from the hub: sealed into the outbox, sent once by the mail queue's consumer
  ['env.ts'], // the Hono app's types and router factory
  ['health'], // the hub's own settings, checked (GET /healthz, the sign-in page)
  ['stats', 'ledger', 'reasons', 'sentiment'], // counters, the moderation ledger's chain, reason texts, sentiment suggestions
  ['auth'], // keys and their hashes, bearer principals
  ['sites'], // sites, settings, site keys, data versions
  ['voices'], // the voice: its store and write engine, moderation rules, presentation
  ['targets'], // targets, their former addresses, merges
  ['webhooks'], // outbound events and deliveries
  ['inbound', 'responses'], // the storefront's signed events in; official responses and their announcement
  ['corrections'], // corrected and withdrawn answers (a voice's lifecycle to come)
  ['verification'], // checking a voice's source
  ['linkbacks'], // TrackBack, Pingback and Webmention intake and status
  ['listening'], // watched feeds: reading them, matching keywords
  ['fediverse'], // (to come) the shop's ActivityPub actor: replies in as voices, answers out
  ['trust'], // trust figures and the ledger pages
  ['feeds'], // public documents and their edge cache
  ['digest'], // the weekly digest: a site's week in figures, sent as a webhook and an e-mail
  ['affiliates'], // partners, links, clicks, conversions
  ['reviews'], // invitations, the review form, photos, JSON-LD
  ['connectors'], // the shop's platform (Shopify, WooCommerce): its webhooks in, worked by the shop queue
  ['exports'], // a shop's data taken out: every kind, a batch at a time, to R2, and signed download links
  ['imports'], // a shop's history brought in: other software's files read a step at a time by the import queue
  ['admin', 'demo', 'dev', 'embed', 'openapi', 'trackback', 'pingback', 'webmention'], // web UI, demo, dev routes, widget, API description, protocol endpoints
]

const ROUTES = '(routes|-routes)\\.tsx?$'
const folderPath = (f) => (f.endsWith('.ts') ? `^src/${f.replace('.', '\\.')}$` : `^src/${f}/`)

/** For each folder: the folders of its own layer and above, which its services must not import. */
const layerRules = LAYERS.flatMap((layer, i) =>
  layer.map((folder) => ({
    name: `layer-${folder}`,
    severity: 'error',
    comment: `${folder} may import only lower layers (see LAYERS in .dependency-cruiser.cjs).`,
    from: { path: folderPath(folder), pathNot: ROUTES },
    to: {
      path: LAYERS.slice(i)
        .flat()
        .filter((f) => f !== folder)
        .map(folderPath),
    },
  })),
)

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules must not import each other in a circle.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'common-is-the-base',
      severity: 'error',
      comment: 'src/common/ holds helpers every feature may use; it imports nothing above it.',
      from: { path: '^src/common/' },
      to: { path: '^src/', pathNot: '^src/common/' },
    },
    {
      name: 'db-builds-on-common-only',
      severity: 'error',
      comment: 'src/db/ (schema, client, metering) imports only src/common/.',
      from: { path: '^src/db/' },
      to: { path: '^src/', pathNot: '^src/(db|common)/' },
    },
    {
      name: 'entry-points-are-tops',
      severity: 'error',
      comment: 'Only the Worker entry imports the app, queue and cron handlers.',
      from: { pathNot: ['^src/index\\.ts$', '\\.d\\.ts$'] },
      to: { path: '^src/(app|index|queues|scheduled)\\.ts$' },
    },
    {
      name: 'roads-in-apart',
      severity: 'error',
      comment: 'The fediverse and the platform connectors are separate roads in: neither imports the other.',
      from: { path: '^src/(fediverse|connectors)/' },
      to: { path: '^src/(fediverse|connectors)/', pathNot: '^src/$1/' },
    },
    {
      name: 'admin-pages-apart',
      severity: 'error',
      comment: 'A console page (src/admin/pages/<page>/) imports admin/kit/ and lower layers, never another page.',
      from: { path: '^src/admin/pages/([^/]+)/' },
      to: { path: '^src/admin/pages/', pathNot: '^src/admin/pages/$1/' },
    },
    {
      name: 'admin-kit-below-pages',
      severity: 'error',
      comment: 'What the console pages share (src/admin/kit/) imports no page and not the router.',
      from: { path: '^src/admin/kit/' },
      to: { path: '^src/admin/(pages/|routes\\.tsx$)' },
    },
    {
      name: 'routes-are-leaves',
      severity: 'error',
      comment: 'Route modules are mounted by app.ts (or a feature router); nothing else imports them.',
      from: { path: '^src/', pathNot: ['^src/app\\.ts$', ROUTES] },
      to: { path: ROUTES },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^src/embed/client/' },
  },
}
