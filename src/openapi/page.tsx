/**
 * `GET /docs`: the API description (./document.ts) as one page for people. Rendered on the
 * server from the generated document, self-contained (no script, no outside stylesheet); every
 * text of the document is a text node or attribute, escaped by hono/jsx.
 */
import type { FC } from 'hono/jsx'

import { PageShell } from '../common/page-shell'
import type { Method, OpenApiDocument } from './document'
import { type Entry, OperationView } from './operation'

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
