/** The words of the watched feeds page, in English and Japanese. */
import { defineWords } from '../../kit/words'

export const WORDS = defineWords(
  {
    watchesHelp:
      'Feeds the hub reads for voices that never pinged — a blog search, a review site, a partner’s blog — with the shop’s name and products to look for. Matching ignores full/half width, katakana/hiragana and case. At most 20.',
    noWatches: 'No feeds watched yet.',
    feedUrl: 'Feed address (RSS or Atom)',
    keywords: 'Keywords',
    keywordsHelp: 'One per line: the shop’s name and its products, in Japanese and English.',
    addWatch: 'Watch this feed',
    watchAdded: 'The feed is watched.',
    watchDeleted: 'The feed is no longer watched.',
    stopWatching: 'Stop watching',
    notReadYet: 'not read yet',
    neverRead: 'never read successfully',
    lastRead: 'last read',
    lastTried: 'last tried',
    nextTryWaits: 'The next try waits {wait} after the last one.',
    waitHours: '{n} h',
    waitDays: '{n} {n:day|days}',
    failedTimes: 'failed {n} {n:time|times} in a row',
    nextRead: 'next reading',
    foundVoicesWaiting: 'Voices found in these feeds, waiting for your decision',
    recentRuns: 'Recent readings',
    recentRunsHelp:
      'Every 10 minutes the hub reads the feeds that are due: each about once an hour, a failing one less and less often (up to once a day). Unchanged: the feed said nothing is new.',
    noRuns: 'No feed has been read yet.',
    runAt: 'When',
    runFetched: 'Feeds read',
    runUnchanged: 'Unchanged',
    runFailed: 'Failed',
    runAdded: 'Voices found',
  },
  {
    watchesHelp:
      'ピンを送らない声を見つけるために、ハブが読むフィードです（ブログ検索、レビューサイト、パートナーのブログなど）。ショップ名と商品名で探します。全角・半角、カタカナ・ひらがな、大文字・小文字の違いは区別しません。20件まで。',
    noWatches: '監視するフィードはまだありません。',
    feedUrl: 'フィードのアドレス（RSS・Atom）',
    keywords: 'キーワード',
    keywordsHelp: '1行に1つ：ショップ名と商品名（日本語と英語）。',
    addWatch: 'このフィードを監視する',
    watchAdded: 'フィードを登録しました。',
    watchDeleted: 'フィードの監視をやめました。',
    stopWatching: '監視をやめる',
    notReadYet: '未取得',
    neverRead: 'まだ一度も読めていません',
    lastRead: '最終取得',
    lastTried: '最後に試した日時',
    nextTryWaits: '次の取得は、前回から{wait}後です。',
    waitHours: '{n}時間',
    waitDays: '{n}日',
    failedTimes: '{n}回続けて失敗',
    nextRead: '次回取得',
    foundVoicesWaiting: 'フィードで見つかり、判断を待っている声',
    recentRuns: '最近の取得',
    recentRunsHelp:
      'ハブは10分ごとに、取得の時期が来たフィードを読みます。通常は1時間に1回程度、失敗が続くフィードは間隔を空けて（最長1日）読みます。「変更なし」はフィードに新しい内容がなかったことを表します。',
    noRuns: 'まだフィードを読んでいません。',
    runAt: '日時',
    runFetched: '読んだフィード',
    runUnchanged: '変更なし',
    runFailed: '失敗',
    runAdded: '見つかった声',
  },
)

export type Words = (typeof WORDS)['en']
