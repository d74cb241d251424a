/**
 * `GET /docs`: the API description (./document.ts) as one page for people. Rendered on the
 * server from the generated document, self-contained (no script, no outside stylesheet); every
 * text of the document is a text node or attribute, escaped by hono/jsx.
 */
import type { Child, FC } from 'hono/jsx'

import { PageShell } from '../common/page-shell'
import type { JsonSchema, Method, OpenApiDocument, Operation, Parameter, Response, ResponseRef } from './document'

const STYLE = `
body{font:15px/1.55 system-ui,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#222;background:#fff}
a{color:#1d3557}
h2{border-bottom:2px solid #1d3557;padding-bottom:.2rem;margin-top:2.5rem}
.op{border:1px solid #ddd;border-radius:6px;padding:.3rem 1rem .8rem;margin:1.2rem 0}
.op h3{font-size:1rem;margin:.6rem 0 .2rem;font-weight:600}
.method{display:inline-block;min-width:4.2rem;text-align:center;font:600 .8rem/1.6 ui-monospace,monospace;border-radius:4px;background:#1d3557;color:#fff;margin-right:.5rem;text-transform:uppercase}
.method.post{background:#2a7d4f}.method.patch{background:#8a5a00}.method.delete{background:#b42318}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem}
code{overflow-wrap:anywhere}
pre{background:#f6f6f6;border-radius:4px;padding:.6rem;overflow:auto;max-height:28rem;max-width:100%}
.table{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;margin:.4rem 0}
th,td{text-align:left;vertical-align:top;border-bottom:1px solid #eee;padding:.25rem .5rem}
th{font-size:.8rem;color:#555;font-weight:600}
.req{color:#b42318;font-size:.8rem}
.muted{color:#666;font-size:.9rem}
nav ul{columns:2;padding-left:1.2rem}
h4{font-size:.9rem;margin:.8rem 0 .2rem;color:#444}
@media (max-width:600px){
body{margin:1rem auto;padding:0 .75rem}
.op{padding:.2rem .6rem .6rem}
nav ul{columns:1}
.fields thead{display:none}
.fields tr{display:block;border-bottom:1px solid #eee;padding:.35rem 0}
.fields td{display:block;border:0;padding:.05rem 0}
.fields td[data-label]:not(:empty)::before{content:attr(data-label) ": ";color:#555;font-size:.8rem}
}`

const METHODS: readonly Method[] = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'trace']

type Entry = { path: string; method: Method; op: Operation }

const typeOf = (s: JsonSchema): string => {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ')
  if ('const' in s) return JSON.stringify(s.const)
  if (s.anyOf) return s.anyOf.map((a) => (typeof a === 'boolean' ? String(a) : typeOf(a))).join(' or ')
  if (s.type === 'array') {
    const item = Array.isArray(s.items) || typeof s.items !== 'object' ? undefined : s.items
    return item ? `array of ${typeOf(item)}` : 'array'
  }
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object')
    return `map of ${typeOf(s.additionalProperties)}`
  const type = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any')
  return s.format ? `${type} (${s.format})` : type
}

const count = (n: number | undefined, one: string) => (n === 1 ? `1 ${one}` : `${String(n)} ${one}s`)

/** The rules a value must follow, in a few words (a pattern as code). */
function rulesOf(s: JsonSchema): Child[] {
  const rules: Child[] = []
  if (s.minLength !== undefined) rules.push(`at least ${count(s.minLength, 'character')}`)
  if (s.maxLength !== undefined) rules.push(`at most ${count(s.maxLength, 'character')}`)
  if (s.minItems !== undefined) rules.push(`at least ${count(s.minItems, 'item')}`)
  if (s.maxItems !== undefined) rules.push(`at most ${count(s.maxItems, 'item')}`)
  if (s.minimum !== undefined) rules.push(`≥ ${String(s.minimum)}`)
  if (s.maximum !== undefined) rules.push(`≤ ${String(s.maximum)}`)
  if (s.pattern !== undefined)
    rules.push(
      <>
        matches <code>{s.pattern}</code>
      </>,
    )
  if (s.default !== undefined)
    rules.push(
      <>
        default <code>{JSON.stringify(s.default)}</code>
      </>,
    )
  if (s.type === 'array' && s.items && typeof s.items === 'object' && !Array.isArray(s.items)) {
    const inner = rulesOf(s.items)
    if (inner.length > 0) rules.push(<>each: {inner}</>)
  }
  return rules.flatMap((rule, i) => (i === 0 ? [rule] : ['; ', rule]))
}

/** A row of a field or parameter table; `in` for parameters (path, query, header). */
type Field = { name: string; schema: JsonSchema; required: boolean; in?: string; description?: string | undefined }

/** The object a value holds, directly, as the items of an array (`[]`) or as an option (nullable): its fields are listed too. */
function objectIn(s: JsonSchema): { schema: JsonSchema; suffix: string } | undefined {
  if (s.type === 'object' && s.properties) return { schema: s, suffix: '.' }
  if (s.type === 'array' && s.items && typeof s.items === 'object' && !Array.isArray(s.items)) {
    const inner = objectIn(s.items)
    return inner && { schema: inner.schema, suffix: `[]${inner.suffix}` }
  }
  for (const option of s.anyOf ?? []) {
    const inner = typeof option === 'boolean' ? undefined : objectIn(option)
    if (inner) return inner
  }
  return undefined
}

/** An object's fields, nested objects' fields under dotted names (`author.name`, `items[].id`). */
function fieldsOf(schema: JsonSchema, prefix = ''): Field[] {
  const required = new Set(schema.required ?? [])
  return Object.entries(schema.properties ?? {}).flatMap(([name, prop]) => {
    if (typeof prop === 'boolean') return []
    const field = { name: prefix + name, schema: prop, required: required.has(name) }
    const inner = objectIn(prop)
    return inner ? [field, ...fieldsOf(inner.schema, field.name + inner.suffix)] : [field]
  })
}

/**
 * One table for a body's fields and an operation's parameters (with the `in` column). On a
 * phone each row is a block of lines, each cell named by its column.
 */
const FieldTable: FC<{ fields: Field[]; first?: string; withIn?: boolean }> = ({ fields, first = 'field', withIn }) => (
  <div class="table">
    <table class="fields">
      <thead>
        <tr>
          <th>{first}</th>
          {withIn && <th>in</th>}
          <th>type</th>
          <th>rules</th>
          <th>description</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr>
            <td>
              <code>{f.name}</code> {f.required && <span class="req">required</span>}
            </td>
            {withIn && <td data-label="in">{f.in}</td>}
            <td data-label="type">
              <code>{typeOf(f.schema)}</code>
            </td>
            <td data-label="rules">{rulesOf(f.schema)}</td>
            <td>{f.description ?? f.schema.description ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
)

const Parameters: FC<{ params: Parameter[] }> = ({ params }) => (
  <>
    <h4>Parameters</h4>
    <FieldTable
      first="name"
      withIn
      fields={params.map((p) => ({
        name: p.name,
        in: p.in,
        schema: p.schema,
        required: p.required,
        description: p.description,
      }))}
    />
  </>
)

/**
 * A body's fields as a table, and (`withSchema`: a request's) its JSON Schema on request; an
 * answer's JSON Schema is left to /openapi.json (it would make the page two thirds larger).
 */
const Body: FC<{
  media: string
  schema?: JsonSchema | undefined
  example?: string | undefined
  withSchema?: boolean
}> = ({ media, schema, example, withSchema = true }) => (
  <div>
    <p>
      <code>{media}</code>
    </p>
    {schema?.properties && <FieldTable fields={fieldsOf(schema)} />}
    {example !== undefined && <pre>{example}</pre>}
    {schema && withSchema && (
      <details>
        <summary class="muted">JSON Schema</summary>
        <pre>{JSON.stringify(schema, null, 2)}</pre>
      </details>
    )}
  </div>
)

const RequestBody: FC<{ body: NonNullable<Operation['requestBody']> }> = ({ body }) => (
  <>
    <h4>Request body</h4>
    {body.description && <p>{body.description}</p>}
    {Object.entries(body.content).map(([media, { schema, example }]) => (
      <Body media={media} schema={schema} example={example} />
    ))}
  </>
)

const isRef = (r: Response | ResponseRef): r is ResponseRef => '$ref' in r

const Responses: FC<{ responses: Operation['responses']; doc: OpenApiDocument }> = ({ responses, doc }) => {
  const described = Object.entries(responses).flatMap(([status, r]) =>
    isRef(r)
      ? []
      : Object.entries(r.content ?? {}).flatMap(([media, { schema }]) =>
          schema?.properties ? [{ status, media, schema }] : [],
        ),
  )
  return (
    <>
      <h4>Responses</h4>
      <div class="table">
        <table class="fields">
          <thead>
            <tr>
              <th>status</th>
              <th>meaning</th>
              <th>body</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(responses).map(([status, r]) => {
              const shown = isRef(r) ? doc.components.responses[r.$ref.split('/').pop() ?? ''] : r
              return (
                <tr>
                  <td>
                    <code>{status}</code>
                  </td>
                  <td>{shown?.description ?? ''}</td>
                  <td data-label="body">
                    {Object.keys(shown?.content ?? {}).map((m) => (
                      <code>{m}</code>
                    ))}
                    {isRef(r) && <span class="muted"> (error)</span>}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      {described.map(({ status, media, schema }) => (
        <>
          <h4>
            <code>{status}</code> body
          </h4>
          <Body media={media} schema={schema} withSchema={false} />
        </>
      ))}
    </>
  )
}

const OperationView: FC<{ entry: Entry; doc: OpenApiDocument }> = ({ entry: { path, method, op }, doc }) => (
  <section class="op" id={op.operationId}>
    <h3>
      <span class={`method ${method}`}>{method}</span>
      <code>{path}</code>
    </h3>
    <p>
      <strong>{op.summary}</strong>
    </p>
    {op.description && <p>{op.description}</p>}
    <p class="muted">
      {op.security
        ? `Credentials: ${op.security.flatMap((s) => Object.keys(s)).join(' or ')}`
        : 'Public: no credentials.'}
    </p>
    {op.parameters && <Parameters params={op.parameters} />}
    {op.requestBody && <RequestBody body={op.requestBody} />}
    <Responses responses={op.responses} doc={doc} />
  </section>
)

export const DocsPage: FC<{ doc: OpenApiDocument }> = ({ doc }) => {
  const entries: Entry[] = Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const op = item[method]
      return op ? [{ path, method, op }] : []
    }),
  )
  const sections = doc.tags.map((tag) => ({ tag, entries: entries.filter((e) => e.op.tags[0] === tag.name) }))
  return (
    <PageShell lang="en" title={`${doc.info.title} API`} style={STYLE}>
      <header>
        <h1>{doc.info.title} API</h1>
        <p>{doc.info.description}</p>
        <p>
          The machine-readable description: <a href="/openapi.json">/openapi.json</a> (OpenAPI {doc.openapi}).
        </p>
      </header>
      <nav aria-label="Contents">
        <ul>
          {sections.map(({ tag, entries }) => (
            <li>
              <a href={`#tag-${tag.name.replace(/\W+/g, '-')}`}>{tag.name}</a> ({entries.length})
            </li>
          ))}
        </ul>
      </nav>
      <h2 id="credentials">Credentials</h2>
      <div class="table">
        <table class="fields">
          <tbody>
            {Object.entries(doc.components.securitySchemes).map(([name, scheme]) => (
              <tr>
                <td>
                  <code>{name}</code>
                </td>
                <td>{scheme.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 id="errors">Errors</h2>
      <p>{doc.components.schemas.Error?.description ?? ''}</p>
      <pre>
        {JSON.stringify({ error: { code: 'invalid_input', message: 'slug: is required', request_id: '…' } }, null, 2)}
      </pre>
      <table>
        <tbody>
          {Object.values(doc.components.responses).map((r) => (
            <tr>
              <td>{r.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {sections.map(({ tag, entries }) => (
        <section id={`tag-${tag.name.replace(/\W+/g, '-')}`}>
          <h2>{tag.name}</h2>
          <p>{tag.description}</p>
          {entries.map((entry) => (
            <OperationView entry={entry} doc={doc} />
          ))}
        </section>
      ))}
    </PageShell>
  )
}
