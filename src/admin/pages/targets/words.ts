/** The words of the targets page, in English and Japanese. */
import { defineWords } from '../../kit/words'

export const WORDS = defineWords(
  {
    targetsHelp:
      'The pages voices are about. The hub makes a target for a page nobody registered; merge such a target into a registered one, or delete a target nothing refers to.',
    targetTitle: 'Title',
    targetKind: 'Kind',
    automaticTarget: 'made by the hub',
    negativeCount: 'of them negative',
    rename: 'Save',
    mergeInto: 'Merge into',
    merge: 'Merge',
    deleteTarget: 'Delete',
    targetDeleted: 'The target was deleted.',
    targetMerged: 'Merged: {n} {n:voice|voices} moved.',
    noTargets: 'No targets yet.',
    moreTargets: 'More targets →',
  },
  {
    targetsHelp:
      '声の対象になるページです。登録されていないページについての声が届くと、ハブが対象を作ります。その対象は登録済みの対象にまとめるか、何にも使われていなければ削除できます。',
    targetTitle: 'タイトル',
    targetKind: '種類',
    automaticTarget: 'ハブが作成',
    negativeCount: 'うち否定的',
    rename: '保存',
    mergeInto: 'まとめる先',
    merge: 'まとめる',
    deleteTarget: '削除',
    targetDeleted: '対象を削除しました。',
    targetMerged: 'まとめました：声を{n}件移しました。',
    noTargets: '対象はまだありません。',
    moreTargets: '次の対象 →',
  },
)

export type Words = (typeof WORDS)['en']
