/** The words of the list of sites and of a shop's deletion, in English and Japanese. */
import { defineWords } from '../../kit/words'

export const WORDS = defineWords(
  {
    sites: 'Sites',
    moreSites: 'More sites →',
    newShop: 'New shop',
    deleteShop: 'Delete this shop',
    deleteIntro:
      'Deleting a shop takes it off the web at once: its feeds, widget, answer pages and ledger answer “gone”, no blog or storefront can send it anything, and its keys stop working. For {days} {days:day|days} you can restore it as it was; then every row of it is deleted for good.',
    exportFirst:
      'Before you delete it, you may take the shop’s data out: once the shop is purged, nothing of it can be had again.',
    deleteHeading: 'Delete it',
    typeSlug: 'Type the shop’s slug, {slug}, to confirm',
    slugMismatch: 'type the slug exactly as shown',
    deleteNow: 'Delete the shop',
    deleted: 'The shop “{name}” was deleted. It can be restored until {until}.',
    deletedShops: 'Deleted shops',
    restorable: 'deleted; restorable until {until}',
    purging: 'being deleted — {rows} {rows:row|rows} deleted so far, step {step} of {steps}',
    restore: 'Restore',
    restored: 'The shop “{name}” was restored: everything works again as before.',
  },
  {
    sites: 'サイト',
    moreSites: '他のサイト →',
    newShop: '新しいショップ',
    deleteShop: 'このショップを削除',
    deleteIntro:
      'ショップを削除すると、すぐに公開が止まります。フィード、ウィジェット、回答ページ、台帳は「削除済み」と答え、ブログやストアからは何も受け付けず、キーも使えなくなります。{days}日間は元どおりに戻せます。その後、すべてのデータを完全に削除します。',
    exportFirst: '削除の前に、ショップのデータを書き出しておけます。完全に削除した後は、何も取り出せません。',
    deleteHeading: '削除する',
    typeSlug: '確認のため、ショップのスラッグ {slug} を入力してください',
    slugMismatch: '表示されているとおりにスラッグを入力してください',
    deleteNow: 'ショップを削除',
    deleted: 'ショップ「{name}」を削除しました。{until}まで元に戻せます。',
    deletedShops: '削除したショップ',
    restorable: '削除済み（{until}まで元に戻せます）',
    purging: '完全に削除しています（これまでに{rows}行を削除、{steps}段階のうち{step}段階目）',
    restore: '元に戻す',
    restored: 'ショップ「{name}」を元に戻しました。すべて以前どおりに使えます。',
  },
)

export type Words = (typeof WORDS)['en']
