/**
 * SMS keywords (channels.md §3c). Carriers and Twilio act only on a message that is the keyword alone
 * ("STOP PLEASE" is an ordinary message), in any letter case.
 */
export type KeywordAction = 'opt_out' | 'opt_in' | 'help';

/**
 * Twilio's standard list, plus OPTOUT and REVOKE (US rules since 2025 ask to honour "any reasonable means"
 * of revoking consent; honouring more opt-out words is the safe side), plus Russian.
 */
export const OPT_OUT_KEYWORDS = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'OPTOUT',
  'REVOKE',
  'СТОП',
  'ОТПИСАТЬСЯ',
];
export const OPT_IN_KEYWORDS = ['START', 'YES', 'UNSTOP', 'SUBSCRIBE', 'СТАРТ'];
export const HELP_KEYWORDS = ['HELP', 'INFO', 'ПОМОЩЬ'];

/**
 * "YES" re-subscribes someone who opted out (Twilio's list) but is also the everyday answer to an
 * operator's question: from a contact who has not opted out it is not taken as an explicit opt-in.
 */
export const WEAK_OPT_IN = new Set(['YES']);

export interface ExtraKeywords {
  optOut?: string[];
  optIn?: string[];
  help?: string[];
}

export interface KeywordMatch {
  action: KeywordAction;
  /** The keyword as normalised (upper case). */
  keyword: string;
  /** Which language to answer in: the keyword's own. */
  language: 'en' | 'ru';
}

/** Upper-cased, trimmed, without surrounding quotes or a final full stop / exclamation mark. */
export function normaliseKeyword(text: string): string {
  return text
    .trim()
    .replace(/^["'«»“”]+|["'«»“”]+$/g, '')
    .replace(/[.!]+$/, '')
    .trim()
    .toUpperCase();
}

/** The keyword this whole message is, if any. A channel's extra keywords add to the defaults. */
export function matchKeyword(
  text: string | null | undefined,
  extra: ExtraKeywords = {},
): KeywordMatch | null {
  if (!text) return null;
  const word = normaliseKeyword(text);
  if (word.length === 0 || word.length > 40 || /\s/.test(word)) return null;
  const has = (list: string[], more: string[] | undefined) =>
    list.includes(word) || (more ?? []).some((k) => normaliseKeyword(k) === word);
  const language = /[А-ЯЁ]/.test(word) ? 'ru' : 'en';
  // Opt-out first: a word an admin also listed elsewhere must still stop messages.
  if (has(OPT_OUT_KEYWORDS, extra.optOut)) return { action: 'opt_out', keyword: word, language };
  if (has(OPT_IN_KEYWORDS, extra.optIn)) return { action: 'opt_in', keyword: word, language };
  if (has(HELP_KEYWORDS, extra.help)) return { action: 'help', keyword: word, language };
  return null;
}

/** Built-in answers; `{name}` is the channel's name. A channel may set its own texts. */
export const KEYWORD_REPLIES: Record<KeywordAction, Record<'en' | 'ru', string>> = {
  opt_out: {
    en: '{name}: you are unsubscribed and will get no more messages from this number. Reply START to resubscribe.',
    ru: '{name}: вы отписались и больше не будете получать сообщения с этого номера. Чтобы подписаться снова, ответьте СТАРТ.',
  },
  opt_in: {
    en: '{name}: you are subscribed to messages from this number again. Reply STOP to unsubscribe.',
    ru: '{name}: вы снова подписаны на сообщения с этого номера. Чтобы отписаться, ответьте СТОП.',
  },
  help: {
    en: '{name}: reply to this message to reach us. Reply STOP to unsubscribe, START to resubscribe. Message and data rates may apply.',
    ru: '{name}: чтобы связаться с нами, ответьте на это сообщение. Чтобы отписаться, ответьте СТОП, чтобы подписаться снова — СТАРТ. Может взиматься плата за сообщения.',
  },
};
