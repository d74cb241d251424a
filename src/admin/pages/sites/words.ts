/** The words of the list of sites, in English and Japanese. */
import { defineWords } from '../../kit/words'

export const WORDS = defineWords(
  {
    sites: 'Sites',
    moreSites: 'More sites →',
  },
  {
    sites: 'サイト',
    moreSites: '他のサイト →',
  },
)

export type Words = (typeof WORDS)['en']
