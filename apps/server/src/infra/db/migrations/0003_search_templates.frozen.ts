import { stemmer as englishStem } from '@orama/stemmers/english';
import { stemmer as russianStem } from '@orama/stemmers/russian';
import { sql } from 'kysely';
import type { DialectName, Tx } from '../database.ts';

/**
 * The search analysis and document writer exactly as they were when migration 0003 was written.
 * A migration must do the same thing on every install, whenever it runs, so it does not import the
 * live search module (which may change its stems or columns later); this copy is never edited.
 */

const MAX_TOKEN_LENGTH = 60;
const MAX_DOC_TOKENS = 10_000;
const MAX_POSITIONS_PER_STEM = 256;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu;

function stemOf(raw: string): string | null {
  const word = raw.normalize('NFC').toLowerCase().replaceAll('ё', 'е').replace(/\p{M}/gu, '');
  if (word.length === 0 || word.length > MAX_TOKEN_LENGTH) return null;
  if (/[а-я]/.test(word) && !/[a-z]/.test(word)) {
    const stem = russianStem(word);
    return stem.length >= 5 && /(ов|ев)$/.test(stem) ? stem.slice(0, -2) : stem;
  }
  return /^[a-z]+$/.test(word) ? englishStem(word) : word;
}

function analyze(parts: (string | null | undefined)[]): { terms: string; stems: string[] } {
  const stems: string[] = [];
  for (const part of parts) {
    if (!part) continue;
    for (const m of part.matchAll(WORD)) {
      if (stems.length >= MAX_DOC_TOKENS) break;
      const stem = stemOf(m[0]);
      if (stem !== null) stems.push(stem);
    }
  }
  return { terms: stems.length ? ` ${stems.join('  ')} ` : '', stems };
}

function tsvectorLiteral(stems: string[]): string {
  const positions = new Map<string, number[]>();
  stems.forEach((s, i) => {
    const list = positions.get(s);
    if (!list) positions.set(s, [i + 1]);
    else if (list.length < MAX_POSITIONS_PER_STEM) list.push(i + 1);
  });
  const quote = (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
  return [...positions].map(([s, pos]) => `${quote(s)}:${pos.join(',')}`).join(' ');
}

export interface FrozenDoc {
  accountId: string;
  kind: 'message' | 'contact';
  refId: string;
  conversationId: string | null;
  contactId: string;
  channelId: string | null;
  authorId: string | null;
  direction: string | null;
  createdAt: number;
  texts: (string | null | undefined)[];
}

export async function upsertDoc(tx: Tx, dialect: DialectName, d: FrozenDoc): Promise<void> {
  const a = analyze(d.texts);
  if (a.stems.length === 0) {
    await tx.deleteFrom('search_docs').where('kind', '=', d.kind).where('ref_id', '=', d.refId).execute();
    return;
  }
  const values = {
    account_id: d.accountId,
    kind: d.kind,
    ref_id: d.refId,
    conversation_id: d.conversationId,
    contact_id: d.contactId,
    channel_id: d.channelId,
    author_id: d.authorId,
    direction: d.direction,
    created_at: d.createdAt,
    term_count: a.stems.length,
    terms: a.terms,
  };
  const tsv =
    dialect === 'postgres' ? { tsv: sql<string>`cast(${tsvectorLiteral(a.stems)} as tsvector)` } : {};
  await tx
    .insertInto('search_docs')
    .values({ ...values, ...tsv })
    .onConflict((oc) =>
      oc.columns(['kind', 'ref_id']).doUpdateSet({
        conversation_id: values.conversation_id,
        contact_id: values.contact_id,
        channel_id: values.channel_id,
        term_count: values.term_count,
        terms: values.terms,
        ...tsv,
      }),
    )
    .execute();
}

export function contactDoc(c: {
  id: string;
  account_id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  created_at: number;
}): FrozenDoc {
  const digits = c.phone?.replace(/\D/g, '');
  return {
    accountId: c.account_id,
    kind: 'contact',
    refId: c.id,
    conversationId: null,
    contactId: c.id,
    channelId: null,
    authorId: null,
    direction: null,
    createdAt: c.created_at,
    texts: [c.name, c.phone, digits && digits !== c.phone ? digits : null, c.email],
  };
}
