import { sql } from 'kysely';
import type { RuntimeContext } from '../../src/bootstrap.ts';
import { newId } from '../../src/infra/crypto/ids.ts';
import type { NewRow } from '../../src/infra/db/schema.ts';
import type { Tx } from '../../src/infra/db/database.ts';
import { createAccountWithAdmin } from '../../src/modules/accounts/account.service.ts';
import { firstRowidAt } from '../../src/modules/search/doc-rowid.ts';
import { analyze, toTsvectorLiteral } from '../../src/modules/search/text-analysis.ts';

/** Multi-row inserts kept under SQLite's 32,766 bound parameters per statement. */
async function insertChunked<
  T extends 'contacts' | 'contact_identities' | 'conversations' | 'messages' | 'search_docs',
>(tx: Tx, table: T, rows: readonly object[]): Promise<void> {
  if (!rows.length) return;
  const per = Math.floor(30_000 / Object.keys(rows[0]!).length);
  for (let i = 0; i < rows.length; i += per)
    await tx
      .insertInto(table)
      .values(rows.slice(i, i + per) as never)
      .execute();
}

/** Small deterministic PRNG (mulberry32): the same seed gives the same dataset on both dialects. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PHRASES = [
  'Где мой заказ? Уже неделя прошла',
  'Хочу вернуть товар, он не подошёл по размеру',
  'Можно записаться на стрижку в субботу?',
  'Спасибо, всё получили, заказом довольны',
  'Where is my order? It has been a week',
  'I ordered two items but received one',
  'Can I book an appointment for Saturday?',
  'The delivery courier never called me',
  'Оплата не проходит, карта отклонена',
  'Do you ship to Kazakhstan? What are the delivery costs?',
  'Нужен счёт для юрлица на заказы за октябрь',
  'My payment failed twice, please help',
];

export interface SeededDataset {
  accountId: string;
  adminEmail: string;
  adminPassword: string;
  channelIds: string[];
  operatorIds: string[];
  sampleConversationId: string;
  conversations: number;
  messages: number;
  seedSeconds: number;
}

/**
 * `conversations` conversations with `messages` messages in all (about ten each, alternating customer and
 * operator), spread over a year, across 3 channels and 20 operators, indexed for search as the server
 * would index them. Rows are written in large batches directly, not through the HTTP API.
 */
export async function seedDataset(
  ctx: RuntimeContext,
  conversations: number,
  messages: number,
  /** Scenarios that never search skip the index (most of the seeding time). */
  opts: { searchIndex?: boolean } = {},
): Promise<SeededDataset> {
  const started = performance.now();
  const rand = prng(42);
  const adminEmail = 'bench-admin@example.com';
  const adminPassword = 'bench-password-1';
  const { accountId, userId } = await createAccountWithAdmin(ctx, {
    accountName: 'Bench',
    email: adminEmail,
    password: adminPassword,
  });
  const k = ctx.db.kysely;
  const t0 = Date.UTC(2025, 10, 1);
  const year = 365 * 86_400_000;
  const channelIds = ['api', 'api', 'api'].map((type, i) => ({
    id: newId(t0 + i),
    type,
    name: `Channel ${i + 1}`,
  }));
  await k
    .insertInto('channels')
    .values(
      channelIds.map((c) => ({
        id: c.id,
        account_id: accountId,
        type: c.type,
        name: c.name,
        settings: '{}',
        credentials_enc: ctx.secrets.sealJson({ secret: 'x' }),
        team_id: null,
        active: 1,
        created_at: t0,
        updated_at: t0,
      })),
    )
    .execute();
  const operatorIds = [userId];
  for (let i = 1; i < 20; i++) {
    const id = newId(t0 + 10 + i);
    await k
      .insertInto('users')
      .values({
        id,
        account_id: accountId,
        email: `op${i}@example.com`,
        name: `Operator ${i}`,
        password_hash: 'x',
        created_at: t0,
        updated_at: t0,
      })
      .execute();
    await k
      .insertInto('memberships')
      .values({
        account_id: accountId,
        user_id: id,
        role: 'operator',
        availability: 'offline',
        capacity: 10,
        active: 1,
        created_at: t0,
        updated_at: t0,
      })
      .execute();
    operatorIds.push(id);
  }
  const perConv = Math.max(1, Math.round(messages / conversations));
  // Big transactions and multi-row inserts: a 1,000,000-message seed is bound by row writes, not by
  // statement round trips or commits.
  const BATCH = 5_000;
  let written = 0;
  let sample = '';
  const perSecond = new Map<number, number>();
  for (let start = 0; start < conversations; start += BATCH) {
    await k.transaction().execute(async (tx) => {
      const contacts: NewRow<'contacts'>[] = [];
      const identities: NewRow<'contact_identities'>[] = [];
      const convs: NewRow<'conversations'>[] = [];
      const msgs: NewRow<'messages'>[] = [];
      for (let i = start; i < Math.min(conversations, start + BATCH); i++) {
        const created = t0 + Math.floor((i / conversations) * year);
        const channel = channelIds[i % 3]!.id;
        const contactId = newId(created);
        contacts.push({
          id: contactId,
          account_id: accountId,
          name: `Customer ${i}`,
          phone: `+7999${String(i).padStart(7, '0')}`,
          email: null,
          attributes: '{}',
          created_at: created,
          updated_at: created,
        });
        identities.push({
          id: newId(created),
          account_id: accountId,
          contact_id: contactId,
          channel_id: channel,
          external_id: `ext-${i}`,
          created_at: created,
        });
        const convId = newId(created);
        if (!sample) sample = convId;
        const n = i === 0 ? Math.max(perConv, 500) : perConv;
        const statusRoll = rand();
        const assignee = rand() < 0.8 ? operatorIds[Math.floor(rand() * operatorIds.length)]! : null;
        let last = created;
        for (let j = 0; j < n && written < messages; j++, written++) {
          last = created + j * 60_000;
          const inbound = j % 2 === 0;
          msgs.push({
            id: newId(last),
            account_id: accountId,
            conversation_id: convId,
            channel_id: channel,
            direction: inbound ? 'in' : 'out',
            author_kind: inbound ? 'contact' : 'user',
            author_id: inbound ? contactId : (assignee ?? userId),
            content_kind: 'text',
            body: `${PHRASES[Math.floor(rand() * PHRASES.length)]} #${i}-${j}`,
            private: 0,
            provider_message_id: inbound ? `pm-${i}-${j}` : null,
            client_message_id: null,
            delivery_status: inbound ? null : 'delivered',
            error_code: null,
            error_message: null,
            provider_ts: last,
            meta: '{}',
            created_at: last,
            updated_at: last,
          });
        }
        convs.push({
          id: convId,
          account_id: accountId,
          channel_id: channel,
          contact_id: contactId,
          team_id: null,
          assignee_id: assignee,
          status: statusRoll < 0.7 ? 'resolved' : statusRoll < 0.9 ? 'open' : 'pending',
          priority: 'none',
          snoozed_until: null,
          last_inbound_at: last,
          last_outbound_at: last,
          last_activity_at: last,
          last_message_preview: 'preview',
          first_response_at: created + 60_000,
          first_response_ms: 60_000,
          resolved_at: statusRoll < 0.7 ? last : null,
          created_at: created,
          updated_at: last,
        });
      }
      await insertChunked(tx, 'contacts', contacts);
      await insertChunked(tx, 'contact_identities', identities);
      await insertChunked(tx, 'conversations', convs);
      const byConv = new Map(convs.map((c) => [c.id, c.contact_id]));
      await insertChunked(tx, 'messages', msgs);
      if (opts.searchIndex !== false) {
        // The rows upsertDoc would write (same analysis, same tsvector), many per statement.
        const docs = msgs.map((m) => {
          const a = analyze([m.body]);
          // SQLite: the time-ordered row id upsertDoc would assign (modules/search/doc-rowid.ts).
          const second = firstRowidAt(m.created_at);
          const n = perSecond.get(second) ?? 0;
          perSecond.set(second, n + 1);
          return {
            ...(ctx.db.dialect === 'sqlite' ? { rid: second + n } : {}),
            account_id: accountId,
            kind: 'message',
            ref_id: m.id,
            conversation_id: m.conversation_id,
            contact_id: byConv.get(m.conversation_id)!,
            channel_id: m.channel_id,
            author_id: m.author_id ?? null,
            direction: m.direction,
            created_at: m.created_at,
            term_count: a.count,
            terms: a.terms,
            ...(ctx.db.dialect === 'postgres'
              ? { tsv: sql<string>`cast(${toTsvectorLiteral(a.stems)} as tsvector)` }
              : {}),
          };
        });
        await insertChunked(tx, 'search_docs', docs);
      }
    });
  }
  // A production database has planner statistics (and, on PostgreSQL, a visibility map kept by
  // autovacuum, which index-only scans such as the view counts rely on); a freshly bulk-loaded one
  // must be told.
  await (ctx.db.dialect === 'postgres' ? sql`vacuum analyze` : sql`analyze`).execute(k);
  return {
    accountId,
    adminEmail,
    adminPassword,
    channelIds: channelIds.map((c) => c.id),
    operatorIds,
    sampleConversationId: sample,
    conversations,
    messages: written,
    seedSeconds: Math.round((performance.now() - started) / 1000),
  };
}
