import { stemmer as englishStem } from '@orama/stemmers/english';
import { stemmer as russianStem } from '@orama/stemmers/russian';

/**
 * The one tokeniser and stemmer of full-text search. It runs in JS at write time (the stems are stored)
 * and at query time, so SQLite FTS5 and PostgreSQL tsvector only ever compare ready-made stems and find
 * exactly the same documents; neither database's own parser or dictionaries take part.
 */

/** Longer "words" are base64, hashes or URLs glued together: noise that only bloats the index. */
export const MAX_TOKEN_LENGTH = 60;
/** Caps a document at what PostgreSQL can store positions for (16383), identically on both dialects. */
export const MAX_DOC_TOKENS = 10_000;
/** PostgreSQL keeps at most 256 positions of one lexeme; the same cap applies on SQLite via the index text. */
export const MAX_POSITIONS_PER_STEM = 256;

export interface Token {
  /** UTF-16 offsets into the original text (what a client highlights). */
  start: number;
  end: number;
  stem: string;
}

// A word starts with a letter or digit and may carry combining marks (decomposed accents).
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;
const CYRILLIC = /[а-я]/;
const LATIN_WORD = /^[a-z]+$/;
const SURNAME_SUFFIX = /(ов|ев)$/;

/** Lower case, ё = е, composed accents; marks without a composed form are dropped. */
export function normalizeWord(raw: string): string {
  return raw.normalize('NFC').toLowerCase().replaceAll('ё', 'е').replace(/\p{M}/gu, '');
}

/** Russian stems for Cyrillic words, English (Porter2) for Latin ones; numbers and other scripts as they are. */
export function stemWord(word: string): string {
  if (CYRILLIC.test(word) && !/[a-z]/.test(word)) {
    // Snowball keeps "-ов/-ев" in oblique cases but strips it from the nominative of surnames
    // (Кузнецов → кузнец, Кузнецова → кузнецов): dropping it everywhere makes every case meet.
    const stem = russianStem(word);
    return stem.length >= 5 && SURNAME_SUFFIX.test(stem) ? stem.slice(0, -2) : stem;
  }
  if (LATIN_WORD.test(word)) return englishStem(word);
  return word;
}

/** Words of `text` with their offsets and stems, in order. */
export function tokenize(text: string, limit = MAX_DOC_TOKENS): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const word = normalizeWord(m[0]);
    if (word.length === 0 || word.length > MAX_TOKEN_LENGTH) continue;
    out.push({ start: m.index, end: m.index + m[0].length, stem: stemWord(word) });
    if (out.length >= limit) break;
  }
  return out;
}

export interface AnalyzedText {
  /**
   * Stems in order, each wrapped in its own pair of spaces (" a  b  c "): a term's frequency is then
   * `(length(terms) - length(replace(terms, ' s ', ''))) / length(' s ')` in either SQL dialect.
   */
  terms: string;
  count: number;
  stems: string[];
}

export function analyze(parts: (string | null | undefined)[]): AnalyzedText {
  const stems: string[] = [];
  for (const part of parts) {
    if (!part) continue;
    for (const t of tokenize(part, MAX_DOC_TOKENS - stems.length)) stems.push(t.stem);
    if (stems.length >= MAX_DOC_TOKENS) break;
  }
  return { terms: stems.length ? ` ${stems.join('  ')} ` : '', count: stems.length, stems };
}

/** PostgreSQL tsvector literal with positions ('stem':1,4 'other':2), built here so no PG parser runs. */
export function toTsvectorLiteral(stems: string[]): string {
  const positions = new Map<string, number[]>();
  stems.forEach((s, i) => {
    const list = positions.get(s);
    if (!list) positions.set(s, [i + 1]);
    else if (list.length < MAX_POSITIONS_PER_STEM) list.push(i + 1);
  });
  return [...positions].map(([s, pos]) => `${quoteLexeme(s)}:${pos.join(',')}`).join(' ');
}

function quoteLexeme(s: string): string {
  return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

export interface ParsedQuery {
  /** Single stems every hit must contain. */
  terms: string[];
  /** Stem sequences every hit must contain in this order, adjacent. */
  phrases: string[][];
}

export const MAX_QUERY_STEMS = 20;

/**
 * `"exact phrase" word other` (also «» and “” quotes): each quoted part is a phrase; a bare word that
 * splits into several tokens (an e-mail, "e-mail", a phone with dashes) is a phrase too, so it matches
 * as written rather than as scattered pieces.
 */
export function parseQuery(q: string): ParsedQuery {
  const terms = new Set<string>();
  const phrases = new Map<string, string[]>();
  const add = (text: string) => {
    const stems = tokenize(text, MAX_QUERY_STEMS + 1).map((t) => t.stem);
    if (stems.length === 1) terms.add(stems[0]!);
    else if (stems.length > 1) phrases.set(stems.join(' '), stems);
  };
  const quoted = /["«“]([^"»”]*)(["»”]|$)/g;
  let rest = '';
  let last = 0;
  for (const m of q.matchAll(quoted)) {
    rest += ` ${q.slice(last, m.index)}`;
    add(m[1]!);
    last = m.index + m[0].length;
  }
  rest += ` ${q.slice(last)}`;
  for (const word of rest.split(/\s+/)) if (word) add(word);
  // A term already inside a phrase adds nothing to matching.
  for (const p of phrases.values()) for (const s of p) terms.delete(s);
  return { terms: [...terms], phrases: [...phrases.values()] };
}

export function queryStems(q: ParsedQuery): string[] {
  return [...new Set([...q.terms, ...q.phrases.flat()])];
}

/** FTS5 MATCH expression: every term and phrase required. Stems are letters and digits only. */
export function toFts5Match(q: ParsedQuery): string {
  const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
  return [...q.terms.map(quote), ...q.phrases.map((p) => quote(p.join(' ')))].join(' AND ');
}

/** PostgreSQL tsquery literal equivalent to toFts5Match: `'a' & ('b' <-> 'c')`. */
export function toTsqueryLiteral(q: ParsedQuery): string {
  return [...q.terms.map(quoteLexeme), ...q.phrases.map((p) => `(${p.map(quoteLexeme).join(' <-> ')})`)].join(
    ' & ',
  );
}
