import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { type InsertObject, sql } from 'kysely';
import { createContext, type RuntimeContext } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { newId } from '../src/infra/crypto/ids.ts';
import type { Database, NewRow } from '../src/infra/db/schema.ts';
import { runExport } from '../src/modules/export/export.service.ts';
import { mentionsReport } from '../src/modules/search/mentions.service.ts';
import type { SearchScope } from '../src/modules/search/matching-docs.ts';
import { parseSearchText, searchHits } from '../src/modules/search/search.service.ts';
import { analyze, toTsvectorLiteral } from '../src/modules/search/text-analysis.ts';
import { freshDatabase, postgresAvailable } from './lib/databases.ts';

/**
 * Search latency and export throughput on a generated corpus (not a timed test):
 *   npx tsx apps/server/bench/search-export.ts [--messages 1000000] [--dialect sqlite|postgres]
 * Seeds N messages (RU+EN, ~20 per conversation) straight into the tables, then measures /search and the
 * mentions report at the service level, and a streamed XLSX export of every message with its peak RSS.
 */

const RU = [
  'заказ',
  'заказы',
  'заказом',
  'доставка',
  'доставки',
  'оплата',
  'оплатил',
  'возврат',
  'товар',
  'товары',
  'курьер',
  'курьером',
  'адрес',
  'спасибо',
  'здравствуйте',
  'когда',
  'где',
  'мой',
  'номер',
  'чек',
  'скидка',
  'магазин',
  'сегодня',
  'завтра',
  'пришёл',
  'пришла',
  'сломан',
  'размер',
  'цвет',
  'синий',
  'чайник',
];
const EN = [
  'order',
  'orders',
  'ordered',
  'delivery',
  'deliveries',
  'payment',
  'paid',
  'refund',
  'refunded',
  'item',
  'items',
  'courier',
  'address',
  'thanks',
  'hello',
  'when',
  'where',
  'my',
  'number',
  'receipt',
  'discount',
  'shop',
  'today',
  'tomorrow',
  'arrived',
  'broken',
  'size',
  'colour',
  'blue',
  'kettle',
];
const RARE = ['самовар', 'samovar', 'граммофон', 'gramophone'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

export async function seed(ctx: RuntimeContext, n: number): Promise<{ accountId: string; seconds: number }> {
  const k = ctx.db.kysely;
  const now = Date.UTC(2025, 0, 1);
  const accountId = newId(now);
  await k
    .insertInto('accounts')
    .values({ id: accountId, name: 'Bench', event_seq: 0, created_at: now })
    .execute();
  const channelId = newId(now);
  await k
    .insertInto('channels')
    .values({
      id: channelId,
      account_id: accountId,
      type: 'api',
      name: 'Bench',
      settings: '{}',
      credentials_enc: '',
      team_id: null,
      active: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const rand = rng(42);
  const t0 = performance.now();
  const perConv = 20;
  const BATCH = 500;
  let convId = '';
  let contactId = '';
  for (let i = 0; i < n; i += BATCH) {
    const msgs: NewRow<'messages'>[] = [];
    const docs: InsertObject<Database, 'search_docs'>[] = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) {
      const at = now + j * 30_000;
      if (j % perConv === 0) {
        contactId = newId(at);
        convId = newId(at);
        await k
          .insertInto('contacts')
          .values({
            id: contactId,
            account_id: accountId,
            name: `Клиент ${j / perConv}`,
            phone: `+7999${String(j).padStart(7, '0')}`,
            email: null,
            attributes: '{}',
            created_at: at,
            updated_at: at,
          })
          .execute();
        await k
          .insertInto('conversations')
          .values({
            id: convId,
            account_id: accountId,
            channel_id: channelId,
            contact_id: contactId,
            team_id: null,
            assignee_id: null,
            status: j % 3 ? 'open' : 'resolved',
            priority: 'none',
            snoozed_until: null,
            last_inbound_at: at,
            last_outbound_at: null,
            last_activity_at: at,
            last_message_preview: null,
            first_response_at: null,
            first_response_ms: null,
            resolved_at: null,
            created_at: at,
            updated_at: at,
          })
          .execute();
      }
      const words = rand() < 0.5 ? RU : EN;
      const len = 5 + Math.floor(rand() * 25);
      const text = Array.from({ length: len }, () => words[Math.floor(rand() * words.length)]!);
      if (rand() < 0.0005) text.push(RARE[Math.floor(rand() * RARE.length)]!);
      const body = text.join(' ');
      const id = newId(at);
      const inbound = j % 2 === 0;
      msgs.push({
        id,
        account_id: accountId,
        conversation_id: convId,
        channel_id: channelId,
        direction: inbound ? 'in' : 'out',
        author_kind: inbound ? 'contact' : 'user',
        author_id: inbound ? contactId : null,
        content_kind: 'text',
        body,
        private: 0,
        provider_message_id: null,
        client_message_id: null,
        delivery_status: null,
        error_code: null,
        error_message: null,
        provider_ts: null,
        meta: '{}',
        created_at: at,
        updated_at: at,
      });
      const a = analyze([body]);
      docs.push({
        account_id: accountId,
        kind: 'message',
        ref_id: id,
        conversation_id: convId,
        contact_id: contactId,
        channel_id: channelId,
        author_id: null,
        direction: inbound ? 'in' : 'out',
        created_at: at,
        term_count: a.count,
        terms: a.terms,
        ...(ctx.db.dialect === 'postgres'
          ? { tsv: sql<string>`cast(${toTsvectorLiteral(a.stems)} as tsvector)` }
          : {}),
      });
    }
    await k.transaction().execute(async (tx) => {
      await tx.insertInto('messages').values(msgs).execute();
      await tx.insertInto('search_docs').values(docs).execute();
    });
    if ((i / BATCH) % 200 === 0) process.stderr.write(`\rseeded ${i + msgs.length}/${n}`);
  }
  process.stderr.write('\n');
  if (ctx.db.dialect === 'postgres') await sql`analyze`.execute(k);
  return { accountId, seconds: (performance.now() - t0) / 1000 };
}

export async function searchExportBench(dialect: 'sqlite' | 'postgres', messages: number) {
  const db = await freshDatabase(dialect);
  const ctx = await createContext(
    loadConfig({
      DATABASE_URL: db.url,
      DATA_DIR: db.dataDir,
      LOG_LEVEL: 'silent',
      SWITCHBOARD_SECRET: 'bench-secret-bench-secret',
    }),
    { migrate: true },
  );
  try {
    const seeded = await seed(ctx, messages);
    const scope: SearchScope = { accountId: seeded.accountId, userId: null, teams: undefined };
    const queries: Record<string, { q: string; filter?: Record<string, string> }> = {
      rare: { q: 'самовар' },
      common: { q: 'заказ' },
      'two words': { q: 'order kettle' },
      phrase: { q: '"blue kettle"' },
      'common + status filter': { q: 'delivery', filter: { status: 'resolved' } },
    };
    const search: Record<string, { p50ms: number; p95ms: number; hitsOnPage: number }> = {};
    for (const [name, { q, filter }] of Object.entries(queries)) {
      const times: number[] = [];
      let hits = 0;
      for (let i = 0; i < 15; i++) {
        const t0 = performance.now();
        const r = await searchHits(ctx, scope, parseSearchText(q), filter ?? {}, { limit: 20 });
        times.push(performance.now() - t0);
        hits = r.items.length;
      }
      search[name] = {
        p50ms: +pct(times, 50).toFixed(1),
        p95ms: +pct(times, 95).toFixed(1),
        hitsOnPage: hits,
      };
    }
    const m0 = performance.now();
    const mentions = await mentionsReport(ctx, scope, parseSearchText('самовар'), {}, 100);
    const mentionsMs = performance.now() - m0;

    const out = join(db.dataDir, 'export.xlsx');
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const e0 = performance.now();
    const rows = await runExport(
      ctx,
      {
        accountId: seeded.accountId,
        kind: 'messages',
        format: 'xlsx',
        filter: {},
        userId: null,
        teams: undefined,
        timeZone: 'Europe/Moscow',
      },
      createWriteStream(out),
      async ({ done, total }) => {
        if (done % 50_000 === 0) process.stderr.write(`\rexport ${done}/${total}`);
      },
    );
    const exportS = (performance.now() - e0) / 1000;
    clearInterval(sampler);
    process.stderr.write('\n');
    return {
      dialect,
      messages,
      seedSeconds: +seeded.seconds.toFixed(1),
      search,
      mentions: { ms: +mentionsMs.toFixed(1), messages: mentions.totals.messages },
      export: {
        rows,
        seconds: +exportS.toFixed(1),
        rowsPerSecond: Math.round(rows / exportS),
        fileMB: +(statSync(out).size / 1e6).toFixed(1),
        rssBeforeMB: Math.round(rssBefore / 1e6),
        peakRssMB: Math.round(peak / 1e6),
      },
    };
  } finally {
    await ctx.close();
    await db.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}` && !process.env.SB_BENCH_NO_MAIN) {
  let messages = 100_000;
  let dialectOpt: string | undefined;
  for (let i = 2; i < process.argv.length; i++) {
    if (process.argv[i] === '--messages') messages = Number(process.argv[++i]);
    else if (process.argv[i] === '--dialect') dialectOpt = process.argv[++i];
  }
  const dialects = dialectOpt
    ? [dialectOpt as 'sqlite']
    : (await postgresAvailable())
      ? (['sqlite', 'postgres'] as const)
      : (['sqlite'] as const);
  for (const d of dialects) console.log(JSON.stringify(await searchExportBench(d, messages), null, 2));
}
