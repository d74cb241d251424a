/** The console's form fields: each labelled, with an id equal to its name so a refused field's link lands on it. */
import type { Child, FC } from 'hono/jsx'

/** A labelled control with its help line. */
export const Field: FC<{ name: string; label: string; help?: string; children?: Child }> = ({
  name,
  label,
  help,
  children,
}) => (
  <>
    <label for={name}>{label}</label>
    {children}
    {help && (
      <p class="meta" id={`${name}_help`}>
        {help}
      </p>
    )}
  </>
)

/** A one-line input with its label and help line (numbers get the numeric keyboard on a phone). */
export const InputField: FC<{
  name: string
  label: string
  help?: string
  value: string
  numeric?: boolean
  maxlength?: number
}> = (p) => (
  <Field name={p.name} label={p.label} help={p.help}>
    <input
      id={p.name}
      name={p.name}
      maxlength={p.maxlength ?? 64}
      inputmode={p.numeric ? 'numeric' : undefined}
      aria-describedby={p.help ? `${p.name}_help` : undefined}
      value={p.value}
    />
  </Field>
)

/** A yes/no setting: a ticked box is sent as "on", an unticked one not at all. */
export const Checkbox: FC<{ name: string; label: string; checked: boolean }> = (p) => (
  <label>
    <input type="checkbox" id={p.name} name={p.name} checked={p.checked} /> {p.label}
  </label>
)

/** A box of lines (addresses, codes, keywords: one per line) with its label and help line. */
export const LinesField: FC<{ name: string; label: string; help?: string; value: string; required?: boolean }> = (
  p,
) => (
  <Field name={p.name} label={p.label} help={p.help}>
    <textarea id={p.name} name={p.name} required={p.required} aria-describedby={p.help ? `${p.name}_help` : undefined}>
      {p.value}
    </textarea>
  </Field>
)

/** A choice of English or Japanese, each named in the page's language. */
export const LanguageField: FC<{
  name: string
  label: string
  value: string
  words: { english: string; japanese: string }
}> = (p) => (
  <Field name={p.name} label={p.label}>
    <select id={p.name} name={p.name}>
      <option value="en" selected={p.value === 'en'}>
        {p.words.english}
      </option>
      <option value="ja" selected={p.value === 'ja'}>
        {p.words.japanese}
      </option>
    </select>
  </Field>
)
