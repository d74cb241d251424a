/**
 * Correcting an answer (PATCH /api/responses/{id}, and the console's edit form): a new version
 * made on the version the editor saw — an edit made on an older one is refused with the current
 * answer, so a second editor loses nothing — and the version it replaces kept, publicly readable.
 */
import { AppError } from '../common/errors'
import type { Principal } from '../common/principal'
import type { Db } from '../db/client'
import { correctAnswer, StaleResponse, type TellAnswer, unchanged } from './correct'
import { editedWords, editKeepsStageOrder, type ResponseEdit } from './rules'
import { insertRevisionIfRev } from './store'

export async function editResponse(
  db: Db,
  p: Principal,
  id: string,
  edit: ResponseEdit,
  now: number,
  hubOrigin: string | null,
  tell?: TellAnswer,
  ofVoice?: string,
) {
  return correctAnswer(
    db,
    p,
    id,
    now,
    hubOrigin,
    (r, answers) => {
      if (r.version !== edit.version) throw new StaleResponse(r)
      const words = editedWords(r, edit)
      if (words === null) throw unchanged(r)
      if (
        words.stage !== r.stage &&
        !editKeepsStageOrder(
          answers,
          answers.map((a) => (a.id === r.id ? { ...a, ...words } : a)),
        )
      )
        throw new AppError(
          'conflict',
          `stage: an answer cannot become ${words.stage === 'apology' ? 'an apology given after' : 'a resolution report given before'} an answer's ${words.stage === 'apology' ? 'resolution report' : 'apology'}: stages go reply, apology, resolution`,
          '段階：回答の段階は「お返事」「お詫び」「改善のご報告」の順です。この変更ではその順が崩れます',
        )
      return {
        fields: {
          ...words,
          version: r.version + 1,
          editedAt: now,
          ...(words.stage !== r.stage ? { stageAt: now } : {}),
        },
        extra: (rev) => [
          insertRevisionIfRev(
            db,
            {
              responseId: r.id,
              siteId: r.siteId,
              version: r.version,
              stage: r.stage,
              body: r.body,
              authorName: r.authorName,
              authorRole: r.authorRole,
              writtenAt: r.editedAt ?? r.createdAt,
              replacedAt: now,
            },
            r.voiceId,
            rev,
          ),
        ],
      }
    },
    (r) => ({ id: r.id, stage: r.stage, body: r.body, authorName: r.authorName, version: r.version }),
    tell,
    ofVoice,
  )
}
