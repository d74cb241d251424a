/** Content-Type headers are read one way everywhere (src/common/media-type.ts). */
import { describe, expect, it } from 'vitest'

import { essenceOf, isJsonType, parameterOf } from '../../src/common/media-type'

describe('media types', () => {
  it('reads the essence lowercased, without parameters, and nothing as empty', () => {
    expect(essenceOf('Text/XML; charset=utf-8')).toBe('text/xml')
    expect(essenceOf(' application/x-www-form-urlencoded ')).toBe('application/x-www-form-urlencoded')
    expect(essenceOf(null)).toBe('')
    expect(essenceOf(undefined)).toBe('')
  })

  it('reads parameters by name, unquoted, case-insensitively, and null when absent or empty', () => {
    expect(parameterOf('text/html; charset="Shift_JIS"', 'charset')).toBe('Shift_JIS')
    expect(parameterOf('text/html;CHARSET=EUC-JP', 'charset')).toBe('EUC-JP')
    expect(parameterOf('multipart/form-data; boundary=----x; charset=utf-8', 'boundary')).toBe('----x')
    expect(parameterOf('text/html', 'charset')).toBeNull()
    expect(parameterOf('text/html; charset=', 'charset')).toBeNull()
    expect(parameterOf('text/html; charset', 'charset')).toBeNull()
  })

  it('knows JSON and JSON-based types', () => {
    expect(isJsonType('application/json')).toBe(true)
    expect(isJsonType('application/problem+json')).toBe(true)
    expect(isJsonType('application/jsonp')).toBe(false)
    expect(isJsonType('text/json')).toBe(false)
  })
})
