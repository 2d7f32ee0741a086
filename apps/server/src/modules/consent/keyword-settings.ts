import { z } from 'zod';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { ChannelRuntime } from '../channels/channel-adapter.ts';
import { loadChannelRouting } from '../routing/settings/routing-settings.ts';
import { type ExtraKeywords, KEYWORD_REPLIES, type KeywordMatch, matchKeyword } from './consent-keywords.ts';

const keyword = z
  .string()
  .trim()
  .regex(/^\S{1,40}$/, 'one word');
const replyText = z.string().trim().min(1).max(480);

/**
 * The channel settings every keyword-handling channel shares (`keywords`, `replies`): one definition,
 * read by the one keyword engine (`consent-keywords.ts`) whatever the provider.
 */
export const keywordSettingsFields = {
  /** Own answer texts ({name} = the channel's name); default: built-in English/Russian texts. */
  replies: z
    .object({ optOut: replyText.optional(), optIn: replyText.optional(), help: replyText.optional() })
    .meta({
      label: { en: 'Own answers to the keywords', ru: 'Свои ответы на ключевые слова' },
      advanced: true,
    })
    .optional(),
  /** Keywords in addition to the built-in ones (the built-in ones always apply). */
  keywords: z
    .object({
      optOut: z.array(keyword).max(20).optional(),
      optIn: z.array(keyword).max(20).optional(),
      help: z.array(keyword).max(20).optional(),
    })
    .meta({ label: { en: 'Extra keywords', ru: 'Дополнительные ключевые слова' }, advanced: true })
    .optional(),
};

export function extraKeywords(channel: ChannelRuntime): ExtraKeywords {
  const k = channel.settings.keywords;
  return k && typeof k === 'object' ? (k as ExtraKeywords) : {};
}

/** The keyword a customer's whole message is on this channel (built-in words plus the channel's own). */
export function channelKeyword(
  channel: ChannelRuntime,
  text: string | null | undefined,
): KeywordMatch | null {
  return matchKeyword(text, extraKeywords(channel));
}

/** The text that answers a keyword on this channel (admin's own or built-in, in the keyword's language). */
export function keywordReplyText(channel: ChannelRuntime, match: KeywordMatch): string {
  const own = (channel.settings.replies ?? {}) as Record<string, unknown>;
  const key = match.action === 'opt_out' ? 'optOut' : match.action === 'opt_in' ? 'optIn' : 'help';
  const text =
    typeof own[key] === 'string' ? (own[key] as string) : KEYWORD_REPLIES[match.action][match.language];
  return text.replaceAll('{name}', channel.name);
}

/**
 * The keyword a customer's message is on any channel whose adapter did not already decide (SMS adapters
 * do, for their replies): the same engine, with the channel's routing settings (`consentKeywords`: on by
 * default, the admin's extra words added to the built-in English and Russian ones).
 */
export async function keywordOnChannel(
  k: Tx,
  channel: Row<'channels'>,
  text: string | null | undefined,
): Promise<KeywordMatch | null> {
  if (!text || text.length > 80) return null;
  const cfg = (await loadChannelRouting(k, channel)).settings.consentKeywords;
  if (!cfg.enabled) return null;
  return matchKeyword(text, { optOut: cfg.optOut, optIn: cfg.optIn, help: cfg.help });
}
