/**
 * Seeds the `bench` site with N voices spread over 1,000 targets, in SQL (recursive CTEs),
 * so `npm run bench` can grow the table to 1,000,000 rows. Every third voice has a response,
 * every thirtieth an apology (half of them resolved), every fiftieth is spam, and every
 * tenth brought a sale for the bench partner. Each call adds at most `total − existing`
 * voices and updates the counters by what it added (reading only the new rows), so the
 * bench grows the table in short steps and the hub answers between them.
 */
import { hashKey } from '../auth/keys'
import { getDb } from '../db/client'
import { insertSite } from '../sites/store'

const TARGETS = 1000
const CHUNK = 5000
const SITE = 'bench'
/**
 * Bench voice n was published n seconds before the seed's time, so each step adds voices older
 * than those before: their publication numbers (src/voices/numbering.ts) count down from this one,
 * in the same order as their times, and a voice published on the bench site later gets the next above.
 */
const NEWEST_NUMBER = 1_000_000_000

/** The bench's tracking link: `GET /r/benchlk2` → product p0001. */
export const BENCH_LINK = 'benchlk2'

/** The bench partner's key (development only), for its page and API. */
export const BENCH_PARTNER_KEY = 'gh_pk_bench_partner_key_for_development_only'

export async function seedBench(d1: D1Database, total: number) {
  const db = getDb(d1)
  const now = Date.now() // the bench is dated by the real time (development only)
  await insertSite(db, {
    slug: SITE,
    name: 'Bench Shop',
    origins: ['https://bench.example'],
    embedOrigins: ['*'],
    settings: {},
    createdAt: now,
  })
  const site = await d1.prepare('SELECT id FROM sites WHERE slug = ?').bind(SITE).first<{ id: number }>()
  if (!site) throw new Error(`no site ${SITE}: seed it first`)
  const siteId = site.id

  await d1.batch([
    d1
      .prepare(
        `WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < ${TARGETS - 1})
         INSERT OR IGNORE INTO targets (site_id, id, url, title, kind, created_at)
         SELECT ?1, printf('p%04d', n), printf('https://bench.example/products/p%04d', n), printf('Product %d', n), 'product', ?2 FROM seq`,
      )
      .bind(siteId, now),
    d1
      .prepare(`INSERT OR IGNORE INTO stats (site_id, target_id) SELECT site_id, id FROM targets WHERE site_id = ?1`)
      .bind(siteId),
    // An approved partner with one tracking link, for the redirect's hot path.
    d1
      .prepare(
        `INSERT OR IGNORE INTO partners (id, site_id, name, email, blog_url, state, applied_at, key_hash)
         VALUES ('pt_bench', ?1, 'Bench Partner', 'partner@bench.example', 'https://partner.bench.example/', 'approved', ?2, ?3)`,
      )
      .bind(siteId, now, await hashKey(BENCH_PARTNER_KEY)),
    d1
      .prepare(
        `INSERT OR IGNORE INTO affiliate_links (code, site_id, partner_id, target_id, created_at) VALUES (?3, ?1, 'pt_bench', 'p0001', ?2)`,
      )
      .bind(siteId, now, BENCH_LINK),
  ])

  // Where the last call stopped: the highest bench id (a primary-key lookup, not a count).
  const last = await d1
    .prepare(`SELECT id FROM mentions WHERE id BETWEEN 'm_bench_' AND 'm_bench_~' ORDER BY id DESC LIMIT 1`)
    .first<{ id: string }>()
  const from = last ? Number(last.id.slice('m_bench_'.length)) + 1 : 0
  for (let start = from; start < total; start += CHUNK) {
    const to = Math.min(total, start + CHUNK) - 1
    await d1.batch([
      d1
        .prepare(
          `WITH RECURSIVE seq(n) AS (SELECT ?2 UNION ALL SELECT n + 1 FROM seq WHERE n < ?3)
           INSERT INTO mentions (id, site_id, target_id, kind, status, source_url, source_host, title, excerpt,
             blog_name, sentiment, verified_purchase, received_at, updated_at, published_at, pub_seq, first_response_at,
             apologized_at, resolved_at, rev)
           SELECT printf('m_bench_%07d', n), ?1, printf('p%04d', n % ${TARGETS}),
             CASE n % 3 WHEN 0 THEN 'trackback' WHEN 1 THEN 'webmention' ELSE 'pingback' END,
             CASE WHEN n % 50 = 0 THEN 'spam' ELSE 'published' END,
             printf('https://blog%d.example/post/%d', n % 500, n), printf('blog%d.example', n % 500),
             printf('Post number %d', n), 'An excerpt of a blog post about one of the products, long enough to be realistic.',
             printf('Blog %d', n % 500),
             CASE n % 4 WHEN 0 THEN 'positive' WHEN 1 THEN 'neutral' WHEN 2 THEN 'negative' ELSE NULL END,
             0, ?4 - n * 1000, ?4 - n * 1000, ?4 - n * 1000, ${NEWEST_NUMBER} - n,
             CASE WHEN n % 3 = 0 THEN ?4 - n * 1000 + 3600000 ELSE NULL END,
             CASE WHEN n % 30 = 0 THEN ?4 - n * 1000 + 3600000 ELSE NULL END,
             CASE WHEN n % 60 = 0 THEN ?4 - n * 1000 + 7200000 ELSE NULL END, 'bench'
           FROM seq`,
        )
        .bind(siteId, start, to, now),
      d1
        .prepare(
          `WITH RECURSIVE seq(n) AS (SELECT ?2 UNION ALL SELECT n + 1 FROM seq WHERE n < ?3)
           INSERT INTO responses (id, site_id, mention_id, stage, body, author_name, author_role, created_at)
           SELECT printf('r_bench_%07d', n), ?1, printf('m_bench_%07d', n), 'reply', 'Thank you for writing about us.',
             'Bench', 'staff', ?4 - n * 1000 + 3600000
           FROM seq WHERE n % 3 = 0`,
        )
        .bind(siteId, start, to, now),
      d1
        .prepare(
          `WITH RECURSIVE seq(n) AS (SELECT ?2 UNION ALL SELECT n + 1 FROM seq WHERE n < ?3)
           INSERT INTO conversions (id, site_id, order_id, event, amount, currency, partner_id, link_code, commission, state, occurred_at, received_at)
           SELECT printf('cv_bench_%07d', n), ?1, printf('O-%07d', n), 'sale', 4980, 'JPY', 'pt_bench', ?5, 498,
             CASE n % 300 WHEN 0 THEN 'paid' WHEN 100 THEN 'approved' ELSE 'pending' END, ?4 - n * 1000, ?4 - n * 1000
           FROM seq WHERE n % 10 = 0`,
        )
        .bind(siteId, start, to, now, BENCH_LINK),
    ])
  }

  // The counters grow by what this call added: read back only its rows (an id range), never the whole table.
  const added = `SELECT target_id, count(*) AS n, sum(first_response_at IS NOT NULL) AS answered FROM mentions
    WHERE id BETWEEN printf('m_bench_%07d', ?2) AND printf('m_bench_%07d', ?3) AND status = 'published' GROUP BY target_id`
  if (total > from) {
    await d1.batch([
      d1
        .prepare(
          `UPDATE stats SET published = published + agg.n, responded = responded + agg.answered FROM (${added}) AS agg
           WHERE stats.site_id = ?1 AND stats.target_id = agg.target_id`,
        )
        .bind(siteId, from, total - 1),
      d1
        .prepare(
          `UPDATE stats SET published = published + (SELECT coalesce(sum(n), 0) FROM (${added})),
             responded = responded + (SELECT coalesce(sum(answered), 0) FROM (${added}))
           WHERE site_id = ?1 AND target_id = ''`,
        )
        .bind(siteId, from, total - 1),
      d1.prepare('UPDATE sites SET data_version = data_version + 1 WHERE id = ?').bind(siteId),
    ])
  }
  return { site: SITE, mentions: Math.max(from, total), targets: TARGETS }
}
