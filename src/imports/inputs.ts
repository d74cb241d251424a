/** What the operator API takes to make an import (the API description shows it). */
import * as v from 'valibot'

import { HttpUrl, Line, oneOf, say } from '../common/validation'
import { IMPORT_FORMATS, IMPORT_OUTCOMES, type ImportOptions } from '../db/schema'

/** Old addresses mapped at most per import (the request body is at most 64 KB anyway). */
const MAX_MAPPED = 1000

const Day = v.pipe(
  v.string(say('must be a date', '日付を入力してください')),
  v.isoDate(say('must be a date as YYYY-MM-DD', 'YYYY-MM-DD の形の日付にしてください')),
)

const Flag = v.optional(v.boolean(say('must be true or false', 'true か false にしてください')), false)

export const ImportCreate = v.pipe(
  v.strictObject({
    format: v.pipe(
      oneOf(IMPORT_FORMATS),
      v.description('What the file is: wordpress (WXR), movable_type, webmention_io, reviews_csv or orders_csv.'),
    ),
    file_name: v.optional(Line(200)),
    url: v.optional(
      v.pipe(HttpUrl, v.description('Fetch the file from here (at most 20 MB) instead of uploading it.')),
    ),
    trust: v.pipe(
      Flag,
      v.description(
        'Publish the imported voices without checking that their sources still link to the shop. The choice is an entry in the shop’s public ledger.',
      ),
    ),
    comments: v.pipe(
      Flag,
      v.description('WordPress and Movable Type: import ordinary comments too, as kind `comment`.'),
    ),
    auto_targets: v.pipe(Flag, v.description('Make a target for a storefront page that has none yet.')),
    targets: v.optional(
      v.pipe(
        v.custom<Record<string, unknown>>(
          (m) => typeof m === 'object' && m !== null && !Array.isArray(m),
          say(
            'must be an object of old addresses and targets',
            '旧アドレスとターゲットの対応（オブジェクト）にしてください',
          ),
        ),
        v.record(
          v.pipe(v.string(), v.minLength(1), v.maxLength(2048)),
          v.pipe(
            v.string(
              say('must be a target id or a storefront URL', 'ターゲット ID かストアフロントの URL にしてください'),
            ),
            v.minLength(1),
            v.maxLength(2048),
          ),
        ),
        v.check((m) => Object.keys(m).length <= MAX_MAPPED, `must map at most ${MAX_MAPPED} addresses`),
        v.description(
          'Old addresses (an old blog’s post URLs, a Movable Type entry’s basename) → the target id or storefront URL their voices belong to.',
        ),
      ),
      {},
    ),
    from: v.optional(
      v.pipe(Day, v.description('Orders: only those placed on or after this day (the shop’s time zone).')),
    ),
    to: v.optional(v.pipe(Day, v.description('Orders: only those placed on or before this day.'))),
  }),
  v.check((i) => !i.from || !i.to || i.from <= i.to, 'from must not be after to'),
)

export type ImportCreate = v.InferOutput<typeof ImportCreate>

/** The import's choices as kept on its row; `hubOrigin`: the hub's origin as the request reached it. */
export const optionsOf = (i: ImportCreate, hubOrigin: string): ImportOptions => ({
  trust: i.trust,
  comments: i.comments,
  autoTargets: i.auto_targets,
  targets: i.targets,
  url: i.url ?? null,
  from: i.from ?? null,
  to: i.to ?? null,
  hubOrigin,
})

export const LineQuery = v.object({
  outcome: v.optional(oneOf(IMPORT_OUTCOMES)),
  after: v.optional(v.pipe(v.string(), v.regex(/^\d{1,9}$/, 'after must be a line number'), v.transform(Number))),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}$/, 'limit must be an integer from 1 to 500'),
      v.transform(Number),
      v.minValue(1, 'limit must be an integer from 1 to 500'),
      v.maxValue(500, 'limit must be an integer from 1 to 500'),
    ),
  ),
  lang: v.optional(oneOf(['en', 'ja'] as const)),
})

export const LangQuery = v.object({ lang: v.optional(oneOf(['en', 'ja'] as const)) })
