import { describe, expect, it } from 'vitest'

import { learnedGroups } from '../../src/sentiment/learned'
import { suggest, UNSURE } from '../../src/sentiment/suggest'
import { AI_MODEL, sentimentOfAnswer, suggesterOf } from '../../src/sentiment/suggester'

// Workers AI is outside this machine: a stand-in binding answers as the model's API does ({ response }).
function aiAnswering(answer: unknown, calls: unknown[] = []) {
  return {
    AI: {
      run: (model: string, input: unknown) => {
        calls.push({ model, input })
        if (answer === 'never') return new Promise<never>(() => {})
        if (answer instanceof Error) return Promise.reject(answer)
        return Promise.resolve(answer)
      },
    },
  }
}

/** A voice the local reader is unsure about (checked below), and one it is sure about. */
const UNCLEAR = 'Got the lamp on Friday.'
const CLEAR = 'Emailed twice about the missing lid, never heard back. Never again.'

describe('suggesterOf — the local reader, and a model service for the voices it is unsure about', () => {
  it('is the local reader when the Worker has no AI binding', async () => {
    expect(await suggesterOf({})(CLEAR)).toBe('negative')
  })

  it('asks the model only when the local reader is unsure, with a system prompt and the words', async () => {
    expect(suggest(UNCLEAR).confidence).toBeLessThan(UNSURE)
    expect(suggest(CLEAR).confidence).toBeGreaterThanOrEqual(UNSURE)
    const calls: { model: string; input: { messages: { role: string; content: string }[] } }[] = []
    const suggester = suggesterOf(aiAnswering({ response: 'Negative' }, calls))
    expect(await suggester(CLEAR)).toBe('negative')
    expect(calls).toHaveLength(0)
    expect(await suggester(UNCLEAR)).toBe('negative')
    expect(calls).toHaveLength(1)
    expect(calls[0]!.model).toBe(AI_MODEL)
    expect(calls[0]!.input.messages.map((m) => m.role)).toEqual(['system', 'user'])
    expect(calls[0]!.input.messages[1]!.content).toBe(UNCLEAR)
  })

  it('keeps the local answer when the model is late, says nonsense, or fails', async () => {
    const local = suggest(UNCLEAR).sentiment
    expect(await suggesterOf(aiAnswering('never'), 20)(UNCLEAR)).toBe(local)
    expect(await suggesterOf(aiAnswering({ response: 'I think the customer feels …' }))(UNCLEAR)).toBe(local)
    expect(await suggesterOf(aiAnswering({ nonsense: true }))(UNCLEAR)).toBe(local)
    expect(await suggesterOf(aiAnswering(new Error('quota exceeded')))(UNCLEAR)).toBe(local)
  })

  it('never second-guesses what the shop’s staff taught', async () => {
    const learned = learnedGroups([{ phrase: 'lamp on friday', side: -1, seen: 3 }])
    const calls: unknown[] = []
    expect(await suggesterOf(aiAnswering({ response: 'positive' }, calls))(UNCLEAR, learned)).toBe('negative')
    expect(calls).toHaveLength(0)
  })

  it('reads the model’s one word; "mixed" is a complaint', () => {
    expect(sentimentOfAnswer({ response: ' positive.' })).toBe('positive')
    expect(sentimentOfAnswer({ response: 'Mixed' })).toBe('negative')
    expect(sentimentOfAnswer({ response: 'neutral\n' })).toBe('neutral')
    expect(sentimentOfAnswer({ response: 'unsure' })).toBeNull()
    expect(sentimentOfAnswer(42)).toBeNull()
  })
})
