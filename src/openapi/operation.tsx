/**
 * One operation on the /docs page: its method and path, what it does, its credentials, its
 * parameters, its request body and its answers (each answer's fields; their JSON Schema is left
 * to /openapi.json).
 */
import type { FC } from 'hono/jsx'

import type { Method, OpenApiDocument, Operation, Parameter, Response, ResponseRef } from './document'
import { Body, FieldTable } from './fields'

/** One operation: its path, its method and what the document says of it. */
export type Entry = { path: string; method: Method; op: Operation }

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

export const OperationView: FC<{ entry: Entry; doc: OpenApiDocument }> = ({ entry: { path, method, op }, doc }) => (
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
