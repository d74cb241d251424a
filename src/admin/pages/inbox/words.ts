/** The words of the inbox, in English and Japanese. */
import { defineWords } from '../../kit/words'

export const WORDS = defineWords(
  {
    inbox: 'Inbox',
    unansweredNegative: 'Unanswered negative voices',
    unansweredOther: 'Other unanswered voices',
    awaitingResolution: 'Apologies waiting for a resolution report',
    nothingHere: 'Nothing here.',
    noneInThisStretch: 'None on this page of the inbox; there are more after it.',
    nextOnes: 'Next ones →',
    staleLink: 'That page link is out of date; showing the first page.',
    waited: 'waited',
    target: 'target',
    overdue: 'overdue',
    hours: 'h',
    kind: 'Kind',
    targetPage: 'Target',
    apply: 'Apply',
    select: 'Select',
    answerMany: 'Answer the selected voices at once',
    answerManyHelp:
      'Tick voices above, then publish one response on each — e.g. a resolution report that closes every complaint about the same fault.',
    answeredMany: 'Published on {n} {n:voice|voices}.',
    notAnsweredMany:
      'Not published on {n} {n:voice|voices} ({why}). The response is still in the form below, to answer them again.',
    siteMenu: "The shop's pages",
    foundWaitingCount: 'Found in watched feeds, waiting for your decision: {n}',
  },
  {
    inbox: '受信箱',
    unansweredNegative: '未回答の否定的な声',
    unansweredOther: 'その他の未回答の声',
    awaitingResolution: '改善のご報告を待っているお詫び',
    nothingHere: '該当なし',
    noneInThisStretch: 'このページには該当がありません。次のページにまだあります。',
    nextOnes: '次の件 →',
    staleLink: 'ページのリンクが古くなっています。最初のページを表示します。',
    waited: '経過',
    target: '目標',
    overdue: '期限超過',
    hours: '時間',
    kind: '種類',
    targetPage: '対象ページ',
    apply: '適用',
    select: '選択',
    answerMany: '選択した声にまとめて回答',
    answerManyHelp:
      '上の声にチェックを入れ、同じ回答をそれぞれに公開します（例：同じ不具合への苦情すべてに改善のご報告を）。',
    answeredMany: '{n}件の声に公開しました。',
    notAnsweredMany:
      '{n}件の声には公開できませんでした（{why}）。下のフォームに回答が残っているので、もう一度回答できます。',
    siteMenu: 'ショップのページ',
    foundWaitingCount: '監視中のフィードで見つかった声が{n}件、判断を待っています',
  },
)

export type Words = (typeof WORDS)['en']
