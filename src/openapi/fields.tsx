/**
 * The tables of fields on the /docs page: a body's fields (nested objects' fields under dotted
 * names) and an operation's parameters, each with its type and its rules in a few words, read
 * from the JSON Schema of the generated document (./document.ts).
 */
import type { Child, FC } from 'hono/jsx'

import type { JsonSchema } from './document'

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
export type Field = {
  name: string
  schema: JsonSchema
  required: boolean
  in?: string
  description?: string | undefined
}

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
export const FieldTable: FC<{ fields: Field[]; first?: string; withIn?: boolean }> = ({
  fields,
  first = 'field',
  withIn,
}) => (
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

/**
 * A body's fields as a table, and (`withSchema`: a request's) its JSON Schema on request; an
 * answer's JSON Schema is left to /openapi.json (it would make the page two thirds larger).
 */
export const Body: FC<{
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
