/** The built-in phrase lists, compiled once per isolate. */
import { compileGroup, type CompiledGroup } from './phrases'
import { EN_COMPLAINTS } from './phrases-en'
import { EN_PRAISE } from './phrases-en-praise'
import { JA_COMPLAINTS } from './phrases-ja'
import { JA_PRAISE } from './phrases-ja-praise'

export const BUILT_IN: readonly CompiledGroup[] = [
  ...[...JA_COMPLAINTS, ...JA_PRAISE].map((g) => compileGroup(g, 'ja')),
  ...[...EN_COMPLAINTS, ...EN_PRAISE].map((g) => compileGroup(g, 'en')),
]
