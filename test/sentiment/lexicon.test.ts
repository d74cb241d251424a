import { describe, expect, it } from 'vitest'

import { scoreText, suggestSentiment } from '../../src/sentiment/lexicon'
import { AI_MODEL, suggesterOf } from '../../src/sentiment/suggester'
import { html, servePage } from '../helpers/blogs'
import { createSite, createTarget, PUBLISH_PINGS_AT_ONCE, unique } from '../helpers/factories'
import { api, call } from '../helpers/http'
import { sendWebmention, settled } from '../helpers/linkbacks'
import { pingVoice } from '../helpers/voices'

describe('suggestSentiment — English', () => {
  it.each([
    ['I love this shirt, the fabric is excellent', 'positive'],
    ['The seams ripped after one wash. Very disappointed.', 'negative'],
    ['Not good at all: it shrank', 'negative'],
    ["It isn't bad, and the colour is lovely", 'positive'],
    ['Great colour but the parcel was late', 'neutral'],
    ['I bought a kettle on Tuesday', null],
  ])('%s → %s', (text, expected) => {
    expect(suggestSentiment(text)).toBe(expected)
  })
})

describe('suggestSentiment — Japanese', () => {
  it.each([
    ['肌触りが良くてとても気に入りました。おすすめです', 'positive'],
    ['一度洗っただけで色落ちしてがっかりです', 'negative'],
    ['期待していたほど良くない', 'negative'],
    ['サイズは問題ないし、丈夫で満足', 'positive'],
    ['二度と買わないと思います', 'negative'],
    ['火曜日に届きました', null],
  ])('%s → %s', (text, expected) => {
    expect(suggestSentiment(text)).toBe(expected)
  })

  it('counts each stretch of text once and says which words it used', () => {
    expect(scoreText('良かった')).toMatchObject({ positive: 1, negative: 0, matched: ['+良かった'] })
    expect(scoreText('満足できない').matched).toEqual(['-満足(否定)'])
  })
})

describe('suggested sentiment on new voices', () => {
  it('suggests from a verified page, shows it as a suggestion, and never overrides the operator', async () => {
    const site = await createSite()
    const target = `${site.origin}/products/shirt`
    const post = `https://${unique('blog')}.example/shirt-review`
    await servePage(post, {
      body: html(
        `<article class="h-entry"><p class="e-content">The seams ripped after one wash. Very disappointed with the <a href="${target}">shirt</a>.</p></article>`,
      ),
    })
    const location = (await sendWebmention(site.slug, { source: post, target })).headers.get('Location')!
    const { voice } = await settled(location)

    const read = async () =>
      (await api('GET', `/api/mentions/${voice.id}`, undefined, site.key)).json<{
        sentiment: string
        sentiment_by: string
      }>()
    expect(await read()).toMatchObject({ sentiment: 'negative', sentiment_by: 'suggested' })
    const feed = await (
      await call(`/feeds/${site.slug}.json`)
    ).json<{
      items: { _glasshouse: { sentiment: string; sentiment_suggested: boolean } }[]
      _glasshouse: { stats: { by_sentiment: { negative: number } } }
    }>()
    expect(feed.items[0]!._glasshouse).toMatchObject({ sentiment: 'negative', sentiment_suggested: true })
    expect(feed._glasshouse.stats.by_sentiment.negative).toBe(1)

    await api('PATCH', `/api/mentions/${voice.id}`, { sentiment: 'neutral' }, site.key)
    // The author updates the post and re-sends: the page is checked again, the operator's reading stays.
    await settled((await sendWebmention(site.slug, { source: post, target })).headers.get('Location')!)
    expect(await read()).toMatchObject({ sentiment: 'neutral', sentiment_by: 'operator' })
  })

  it('suggests from a TrackBack ping published at once, in Japanese', async () => {
    const site = await createSite(PUBLISH_PINGS_AT_ONCE)
    const target = await createTarget(site)
    await pingVoice(site, target.id, { title: '色落ちしました', excerpt: '一度洗っただけで色落ちしてがっかりです' })
    const trust = await (await call(`/feeds/${site.slug}/trust.json`)).json<{ by_sentiment: Record<string, number> }>()
    expect(trust.by_sentiment).toMatchObject({ negative: 1, unclassified: 0 })
  })
})

describe('suggesterOf — an optional Workers AI binding', () => {
  // Workers AI is outside this machine: a stand-in binding answers as the model does.
  const aiAnswering = (answer: unknown, calls: string[] = []) => ({
    AI: {
      run: async (model: string, input: { text: string }) => {
        calls.push(`${model}: ${input.text}`)
        if (answer instanceof Error) throw answer
        return answer
      },
    },
  })

  it('uses the lexicon when the Worker has no AI binding', async () => {
    expect(await suggesterOf({})('Very disappointed, it broke')).toBe('negative')
  })

  it('asks the model for English text and maps confident answers, neutral otherwise', async () => {
    const calls: string[] = []
    expect(
      await suggesterOf(
        aiAnswering(
          [
            { label: 'POSITIVE', score: 0.97 },
            { label: 'NEGATIVE', score: 0.03 },
          ],
          calls,
        ),
      )('I like it'),
    ).toBe('positive')
    expect(calls).toEqual([`${AI_MODEL}: I like it`])
    expect(
      await suggesterOf(
        aiAnswering([
          { label: 'NEGATIVE', score: 0.91 },
          { label: 'POSITIVE', score: 0.09 },
        ]),
      )('meh'),
    ).toBe('negative')
    expect(
      await suggesterOf(
        aiAnswering([
          { label: 'NEGATIVE', score: 0.55 },
          { label: 'POSITIVE', score: 0.45 },
        ]),
      )('meh'),
    ).toBe('neutral')
  })

  it('falls back to the lexicon for Japanese text, an unreadable answer, or an error', async () => {
    const calls: string[] = []
    expect(await suggesterOf(aiAnswering([{ label: 'POSITIVE', score: 1 }], calls))('色落ちしてがっかり')).toBe(
      'negative',
    )
    expect(calls).toEqual([])
    expect(await suggesterOf(aiAnswering({ nonsense: true }))('The seams ripped')).toBe('negative')
    expect(await suggesterOf(aiAnswering(new Error('quota')))('I love it')).toBe('positive')
  })
})
