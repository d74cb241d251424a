/** The built-in phrase lists, compiled once per isolate. */
import { compileGroup, type CompiledGroup } from './phrases'
import { EN_PHRASES } from './phrases-en'
import { JA_PHRASES } from './phrases-ja'

export const BUILT_IN: readonly CompiledGroup[] = [
  ...JA_PHRASES.map((g) => compileGroup(g, 'ja')),
  ...EN_PHRASES.map((g) => compileGroup(g, 'en')),
]
