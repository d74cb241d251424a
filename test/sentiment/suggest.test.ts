import { describe, expect, it } from 'vitest'

import { explain, suggest } from '../../src/sentiment/suggest'
import { readSentiment } from '../../src/sentiment/reading'
import { fold } from '../../src/sentiment/fold'

const read = (text: string) => suggest(text).sentiment

describe('suggest — complaints with no negative word', () => {
  it.each([
    ['注文してから2週間経ってもまだ発送されていません。', 'delay'],
    ['問い合わせて5日、返信なし。', 'no reply'],
    ['写真と色が全然違う。', 'unlike its photo'],
    ['一回洗っただけで一回り小さくなった', 'changed after washing'],
    ['箱が潰れていて、中の瓶が割れていました。', 'damaged'],
    ['翌日発送って書いてあったのに、届いたのは5日後', 'a promise not kept'],
    ['電話の対応が上から目線で、言い方が高圧的でした', "a staff member's tone"],
    ['もうここでは買わないと思います', "won't buy again"],
    ['人には勧められないです', "can't recommend"],
    ['Emailed twice about the missing lid, never heard back.', 'no reply'],
    ['It has been three weeks and the order still says processing.', 'delay'],
    ['The seams came apart after a month.', 'came apart'],
    ["Honestly I can't recommend this shop.", "can't recommend"],
    ['Returning it was such a hassle.', 'a hassle'],
  ])('%s → negative (%s)', (text) => {
    expect(read(text)).toBe('negative')
  })
})

describe('suggest — negation both ways', () => {
  it.each([
    ['洗濯しても全然縮まないし、生地もチクチクしません。', 'positive'],
    ['正直、悪くないです。この値段なら文句なし。', 'positive'],
    ["Washed it five times and it didn't shrink at all. No complaints!", 'positive'],
    ['値段の割に満足できない仕上がりでした。', 'negative'],
    ['For the price, not worth it.', 'negative'],
  ])('%s → %s', (text, expected) => {
    expect(read(text)).toBe(expected)
  })
})

describe('suggest — a real complaint beside praise is a complaint (mixed)', () => {
  it.each([
    ['デザインはとても可愛いけど、一回洗ったら縮んでしまいました。'],
    ['味は美味しいのに、賞味期限が3日しかありませんでした。'],
    ['The fabric is lovely, but it went down a size after one wash.'],
  ])('%s', (text) => {
    expect(suggest(text)).toMatchObject({ sentiment: 'negative', mixed: true })
  })
})

describe('suggest — registers, spellings, slang and emoji', () => {
  it.each([
    ['このバッグめっちゃ良い！神！✨', 'positive'],
    ['ｲﾏｲﾁでした…ｻｲｽﾞも合わない', 'negative'],
    ['マジで最悪😡 二度と頼まない', 'negative'],
    ['ありがとうございます(^^) 大切に使います', 'positive'],
    ['OMG this mug is gorgeous, 10/10 would buy again!!!', 'positive'],
  ])('%s → %s', (text, expected) => {
    expect(read(text)).toBe(expected)
  })
})

describe('suggest — neutral reports stay neutral', () => {
  it.each([
    ['昨日の夜に注文しました。色はネイビー、サイズはMです。'],
    ['返品・交換の手順を確認しました。送料無料は5000円からだそうです。'],
    ['このシャツは洗濯機で洗えますか？'],
    ['Ordered the large; the small was sold out. Colours: navy, sand, olive.'],
  ])('%s', (text) => {
    expect(read(text)).toBe('neutral')
  })

  it('suggests nothing for no words', () => {
    expect(suggest('   ')).toEqual({ sentiment: null, mixed: false, confidence: 0 })
  })
})

describe('explain — the phrases that decided, in the voice’s own words', () => {
  it('names the complaint phrases and why they count', () => {
    const { sentiment, because } = explain('素材は良いのですが、問い合わせて5日、返信なし。言い方が高圧的でした')
    expect(sentiment).toBe('negative')
    expect(because).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ text: expect.stringContaining('返信なし'), reason: 'no_reply', side: -1 }),
        expect.objectContaining({ text: expect.stringContaining('高圧'), reason: 'staff_tone', side: -1 }),
      ]),
    )
  })

  it('quotes the original text, half-width kana and all', () => {
    const { because } = explain('ﾏｼﾞでｲﾏｲﾁ。ﾘﾋﾟはないかな')
    expect(because.map((b) => b.text)).toEqual(expect.arrayContaining(['ｲﾏｲﾁ']))
  })

  it('quotes whole words where a phrase list matched a stem, widening by a few characters at most', () => {
    const quotes = explain('Tシャツの色が写真と違った。届くまで2週間かかりました').because.map((b) => b.text)
    expect(quotes, quotes.join(' · ')).toContain('写真と違った')
    expect(quotes.every((q) => q.length <= 20)).toBe(true)
  })

  it('marks a negated phrase', () => {
    expect(readSentiment('全然悪くない').evidence[0]).toMatchObject({ negated: true, polarity: 1 })
    expect(readSentiment("didn't shrink").evidence[0]).toMatchObject({ negated: true, polarity: 1 })
  })
})

describe('fold', () => {
  it('reads half-width kana, full-width Latin and typographic apostrophes as their usual forms', () => {
    expect(fold('ｶﾞｯｶﾘ ＸＬ didn’t').text).toBe("がっかり xl didn't")
    expect(fold('ｶﾞｯｶﾘ').from.slice(0, 4)).toEqual([0, 2, 3, 4])
  })
})
