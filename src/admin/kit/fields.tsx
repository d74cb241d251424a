/**
 * The console's form fields: each labelled, with an id equal to its name (or the id given) so a
 * refused field's link in the summary lands on it. A refused field says so where it is: its
 * problem beside the control, `aria-invalid="true"` on the control and `aria-describedby` naming
 * the problem (and the help line). The refused fields come from the page's context: the layout
 * hands them down (`Refusals`), so a page draws its fields the same way refused or not.
 */
import { createContext, useContext, type Child, type FC } from 'hono/jsx'

/** The refused fields of the page's form: a field's id → what is wrong with it. */
export const Refusals = createContext<ReadonlyMap<string, string>>(new Map())

/** What a control carries: whether it was refused, and the ids of the lines that describe it. */
function described(id: string, help: string | undefined) {
  const problem = useContext(Refusals).get(id)
  const ids = [problem === undefined ? '' : `${id}_error`, help ? `${id}_help` : ''].filter((i) => i !== '')
  return {
    problem,
    aria: {
      'aria-invalid': problem === undefined ? undefined : ('true' as const),
      'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined,
    },
  }
}

/** The problem of a refused field, beside it (its id is what the control's aria-describedby names). */
const Problem: FC<{ id: string; problem: string | undefined }> = ({ id, problem }) =>
  problem === undefined ? null : (
    <p class="field-error" id={`${id}_error`}>
      {problem}
    </p>
  )

const Help: FC<{ id: string; help: string | undefined }> = ({ id, help }) =>
  help ? (
    <p class="meta" id={`${id}_help`}>
      {help}
    </p>
  ) : null

type Common = {
  name: string
  /** The control's id when it differs from its name (several forms of one kind on a page). */
  id?: string
  label: string
  help?: string
  required?: boolean
}

/** A one-line input with its label and help line (numbers get the numeric keyboard on a phone). */
export const InputField: FC<
  Common & {
    value: string
    type?: 'text' | 'email' | 'url' | 'password' | 'datetime-local'
    numeric?: boolean
    maxlength?: number
    autocomplete?: string
  }
> = (p) => {
  const id = p.id ?? p.name
  const { problem, aria } = described(id, p.help)
  return (
    <>
      <label for={id}>{p.label}</label>
      <input
        id={id}
        name={p.name}
        type={p.type}
        required={p.required}
        maxlength={p.maxlength ?? 64}
        inputmode={p.numeric ? 'numeric' : undefined}
        autocomplete={p.autocomplete}
        {...aria}
        value={p.value}
      />
      <Problem id={id} problem={problem} />
      <Help id={id} help={p.help} />
    </>
  )
}

/** A box of text with its label and help line (also for a list, one item a line: its refusal names the line). */
export const TextField: FC<
  Common & { value: string; maxlength?: number; lang?: string; placeholder?: string; children?: Child }
> = (p) => {
  const id = p.id ?? p.name
  const { problem, aria } = described(id, p.help)
  return (
    <>
      <label for={id}>{p.label}</label>
      <textarea
        id={id}
        name={p.name}
        required={p.required}
        maxlength={p.maxlength}
        lang={p.lang}
        placeholder={p.placeholder}
        {...aria}
      >
        {p.value}
      </textarea>
      <Problem id={id} problem={problem} />
      <Help id={id} help={p.help} />
    </>
  )
}

/** A choice of one among options, each with the words a person reads. */
export const SelectField: FC<
  Common & { value: string | undefined; options: readonly { value: string; label: string }[] }
> = (p) => {
  const id = p.id ?? p.name
  const { problem, aria } = described(id, p.help)
  return (
    <>
      <label for={id}>{p.label}</label>
      <select id={id} name={p.name} required={p.required} {...aria}>
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Problem id={id} problem={problem} />
      <Help id={id} help={p.help} />
    </>
  )
}

/** A choice of English or Japanese, each named in the page's language. */
export const LanguageField: FC<Common & { value: string; words: { english: string; japanese: string } }> = ({
  words,
  ...p
}) => (
  <SelectField
    {...p}
    options={[
      { value: 'en', label: words.english },
      { value: 'ja', label: words.japanese },
    ]}
  />
)

/** A yes/no setting: a ticked box is sent as "on", an unticked one not at all. */
export const Checkbox: FC<{ name: string; id?: string; label: string; checked: boolean; required?: boolean }> = (p) => {
  const id = p.id ?? p.name
  const { problem, aria } = described(id, undefined)
  return (
    <>
      <label>
        <input type="checkbox" id={id} name={p.name} checked={p.checked} required={p.required} {...aria} /> {p.label}
      </label>
      <Problem id={id} problem={problem} />
    </>
  )
}

/** Boxes to tick, several at once (a field that takes a list), in a group with its legend. */
export const Choices: FC<{
  name: string
  legend: Child
  options: readonly { value: string; label: string }[]
  chosen: ReadonlySet<string>
}> = (p) => {
  const { problem, aria } = described(p.name, undefined)
  return (
    <fieldset id={p.name} aria-describedby={aria['aria-describedby']}>
      <legend>{p.legend}</legend>
      <Problem id={p.name} problem={problem} />
      {p.options.map((o) => (
        <label>
          <input
            type="checkbox"
            name={p.name}
            value={o.value}
            checked={p.chosen.has(o.value)}
            aria-invalid={aria['aria-invalid']}
          />{' '}
          {o.label}
        </label>
      ))}
    </fieldset>
  )
}

/**
 * A file to upload, with its label and help line (`children` end the help line: a link to say
 * more). Its form must be sent as multipart/form-data.
 */
export const FileField: FC<Common & { accept?: string; children?: Child }> = (p) => {
  const id = p.id ?? p.name
  const { problem, aria } = described(id, p.help ?? (p.children ? ' ' : undefined))
  return (
    <>
      <label for={id}>{p.label}</label>
      <input id={id} name={p.name} type="file" accept={p.accept} required={p.required} {...aria} />
      <Problem id={id} problem={problem} />
      {(p.help ?? p.children) && (
        <p class="meta" id={`${id}_help`}>
          {p.help} {p.children}
        </p>
      )}
    </>
  )
}
