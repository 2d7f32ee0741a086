import {
  CSAT_DEFAULT_QUESTION,
  CSAT_DEFAULT_WINDOW_HOURS,
  type CsatSettings,
  type CsatSettingsInput,
} from '@switchboard/shared';
import type { Tx } from '../../infra/db/database.ts';

/** A channel's survey settings; a channel never configured has the survey off and the default texts. */
export async function loadCsatSettings(k: Tx, channelId: string): Promise<CsatSettings> {
  const r = await k
    .selectFrom('csat_settings')
    .selectAll()
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  return {
    enabled: r?.enabled === 1,
    question: {
      en: r?.question_en ?? CSAT_DEFAULT_QUESTION.en,
      ru: r?.question_ru ?? CSAT_DEFAULT_QUESTION.ru,
    },
    windowHours: r?.window_hours ?? CSAT_DEFAULT_WINDOW_HOURS,
  };
}

/**
 * Merges the change into the stored settings. A text equal to the default is stored as "default", so
 * a later change of the product's wording reaches channels whose admin never edited it.
 */
export async function saveCsatSettings(
  k: Tx,
  channel: { id: string; account_id: string },
  input: CsatSettingsInput,
  now: number,
): Promise<CsatSettings> {
  const cur = await loadCsatSettings(k, channel.id);
  const next: CsatSettings = {
    enabled: input.enabled ?? cur.enabled,
    question: { en: input.question?.en ?? cur.question.en, ru: input.question?.ru ?? cur.question.ru },
    windowHours: input.windowHours ?? cur.windowHours,
  };
  const own = (lang: 'en' | 'ru') =>
    next.question[lang] === CSAT_DEFAULT_QUESTION[lang] ? null : next.question[lang];
  const values = {
    enabled: next.enabled ? 1 : 0,
    question_en: own('en'),
    question_ru: own('ru'),
    window_hours: next.windowHours,
    updated_at: now,
  };
  await k
    .insertInto('csat_settings')
    .values({ channel_id: channel.id, account_id: channel.account_id, ...values })
    .onConflict((oc) => oc.column('channel_id').doUpdateSet(values))
    .execute();
  return next;
}
