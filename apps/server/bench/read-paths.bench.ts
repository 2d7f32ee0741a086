import { createContext } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import type { AppContext } from '../src/app-context.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabase, keptDatabase } from './lib/databases.ts';
import { type PlanCheck, explainNewestSearch } from './lib/search-plan.ts';
import { type SeededDataset, seedDataset } from './lib/seed-dataset.ts';
import { startServer } from './lib/server-process.ts';
import { round, summarise } from './lib/stats.ts';

/**
 * Read paths at size: a deterministic dataset (default 100,000 conversations, 1,000,000 messages), then the
 * console's reads — inbox pages with each filter, the views' exact counts, a long history, search (newest
 * first, the default, and by relevance; common words, a phrase, filters) — each timed REPEAT times over
 * HTTP. Baseline in the same run: GET /api/health (one trivial query on the same stack). Also the plan of
 * the newest-first search window (EXPLAIN ANALYZE on PostgreSQL): it must read the account's date index.
 */
const CONVERSATIONS = Number(process.env.BENCH_READ_CONVERSATIONS ?? 100_000);
const MESSAGES = Number(process.env.BENCH_READ_MESSAGES ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_READ_REPEAT ?? 30);
/** A folder to keep the seeded database in and reuse on the next run with the same sizes (iteration). */
const KEEP = process.env.BENCH_READ_KEEP;

export async function readPathsBench(dialect: 'sqlite' | 'postgres') {
  const key = `read-${dialect}-${CONVERSATIONS}-${MESSAGES}`;
  const db = KEEP ? await keptDatabase(dialect, KEEP, key) : await freshDatabase(dialect);
  const seedFile = KEEP ? join(KEEP, `${key}.json`) : '';
  const env = {
    DATABASE_URL: db.url,
    DATA_DIR: db.dataDir,
    SWITCHBOARD_SECRET: 'bench-secret-bench-secret-bench',
  };
  const ctx = await createContext(loadConfig({ ...env, LOG_LEVEL: 'warn' }), { migrate: true });
  let data: SeededDataset;
  if (seedFile && existsSync(seedFile) && 'existed' in db && db.existed) {
    data = JSON.parse(readFileSync(seedFile, 'utf8')) as SeededDataset;
    console.log(`read paths (${dialect}): reusing the seed in ${db.url} (seeded in ${data.seedSeconds} s)`);
  } else {
    if ('existed' in db && db.existed)
      throw new Error(`${db.url}: kept from an unfinished seed (no ${seedFile}); delete it and run again`);
    console.log(`read paths (${dialect}): seeding ${CONVERSATIONS} conversations / ${MESSAGES} messages…`);
    data = await seedDataset(ctx, CONVERSATIONS, MESSAGES);
    console.log(`  seeded in ${data.seedSeconds} s`);
    if (seedFile) writeFileSync(seedFile, JSON.stringify(data));
  }
  const plans: PlanCheck[] = [];
  let storage: Awaited<ReturnType<typeof storagePerMessage>> | undefined;
  try {
    for (const q of ['заказ', 'order', '"where is my order"']) {
      const p = await explainNewestSearch(ctx, data.accountId, q);
      plans.push(p);
      console.log(
        `  plan of newest-first "${q}": ${p.indexes.join(', ') || '(no index)'}; date index used: ${p.dateIndexUsed}; every match read: ${p.everyMatchRead}; ${p.executionMs} ms${dialect === 'sqlite' ? ` (${p.plan.replaceAll('\n', '; ')})` : ''}`,
      );
    }
    if (dialect === 'postgres') storage = await storagePerMessage(ctx, data.messages);
  } finally {
    await ctx.close();
  }
  const load = { before: loadavg()[0]! };
  const server = await startServer(env);
  try {
    const base = `http://127.0.0.1:${server.port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: data.adminEmail, password: data.adminPassword }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const get = async (path: string) => {
      const t = performance.now();
      const res = await fetch(`${base}${path}`, { headers: { cookie } });
      const body = (await res.json()) as { nextCursor?: string | null };
      if (res.status !== 200) throw new Error(`${path} → ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, body };
    };
    const page2 = (await get('/api/v1/conversations?limit=50')).body.nextCursor ?? '';
    const deepHistory =
      (await get(`/api/v1/conversations/${data.sampleConversationId}/messages?limit=50`)).body.nextCursor ??
      '';
    const searchPage2 = encodeURIComponent((await get('/api/v1/search?q=order')).body.nextCursor ?? '');
    const paths: Record<string, string> = {
      'health (baseline)': '/api/health',
      'inbox: all, first page': '/api/v1/conversations?limit=50',
      'inbox: all, second page': `/api/v1/conversations?limit=50&cursor=${page2}`,
      'inbox: open': '/api/v1/conversations?limit=50&status=open',
      'inbox: unassigned open': '/api/v1/conversations?limit=50&status=open&assignee=none',
      'inbox: mine': '/api/v1/conversations?limit=50&assignee=me',
      'inbox: operator 5': `/api/v1/conversations?limit=50&assignee=${data.operatorIds[5]}`,
      'inbox: one channel': `/api/v1/conversations?limit=50&channel=${data.channelIds[1]}`,
      'counts: open (what the inbox asks)': '/api/v1/conversations/counts?status=open',
      'counts: one channel, any status': `/api/v1/conversations/counts?channel=${data.channelIds[1]}`,
      'history: newest 50 of 500': `/api/v1/conversations/${data.sampleConversationId}/messages?limit=50`,
      'history: older page': `/api/v1/conversations/${data.sampleConversationId}/messages?limit=50&cursor=${deepHistory}`,
      'search: заказ': `/api/v1/search?q=${encodeURIComponent('заказ')}`,
      'search: order': '/api/v1/search?q=order',
      'search: phrase "where is my order"': `/api/v1/search?q=${encodeURIComponent('"where is my order"')}`,
      // "#4242-0" … "#4242-9": the number is a word of one conversation's ten messages.
      'search: rare word (10 matches)': '/api/v1/search?q=4242',
      'search: rare word + channel filter': `/api/v1/search?q=${encodeURIComponent('Kazakhstan')}&channel=${data.channelIds[0]}`,
      'search: order + one channel': `/api/v1/search?q=order&channel=${data.channelIds[1]}`,
      'search: заказ + one month (from/to)': `/api/v1/search?q=${encodeURIComponent('заказ')}&from=2026-03-01&to=2026-04-01`,
      'search: phrase + open conversations': `/api/v1/search?q=${encodeURIComponent('"where is my order"')}&status=open`,
      'search: order, second page (cursor)': `/api/v1/search?q=order&cursor=${searchPage2}`,
      'search: заказ, order=relevance': `/api/v1/search?q=${encodeURIComponent('заказ')}&order=relevance`,
      'search: phrase, order=relevance': `/api/v1/search?q=${encodeURIComponent('"where is my order"')}&order=relevance`,
    };
    const results: Record<string, ReturnType<typeof summarise> & { ratioP50ToBaseline?: number }> = {};
    for (const [name, path] of Object.entries(paths)) {
      await get(path); // warm
      const times: number[] = [];
      for (let i = 0; i < REPEAT; i++) times.push((await get(path)).ms);
      results[name] = summarise(times.map((t) => round(t, 2)));
      console.log(`  ${name}: p50 ${results[name].p50} ms, p95 ${results[name].p95} ms`);
    }
    const baseP50 = results['health (baseline)']!.p50;
    for (const r of Object.values(results)) r.ratioP50ToBaseline = round(r.p50 / baseP50, 1);
    return {
      scenario: 'read-paths',
      dialect,
      dataset: { conversations: data.conversations, messages: data.messages, seedSeconds: data.seedSeconds },
      repeat: REPEAT,
      loadAverage: { ...load, after: loadavg()[0]! },
      storage,
      searchPlans: plans.map(({ plan: _plan, ...p }) => p),
      searchPlanText: plans.map((p) => `-- ${p.query}\n${p.plan}`).join('\n\n'),
      results,
    };
  } finally {
    await server.stop();
    await db.drop();
  }
}

/** Bytes on disk per message (table + indexes + TOAST) for the tables that grow with messages: docs/scaling.md. */
async function storagePerMessage(ctx: AppContext, messages: number) {
  const r = await sql<{ name: string; bytes: string }>`
    select c.relname as name, pg_total_relation_size(c.oid)::text as bytes
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and n.nspname = current_schema()
      and c.relname in ('messages', 'search_docs', 'conversations', 'contacts')`.execute(ctx.db.kysely);
  const bytes = Object.fromEntries(r.rows.map((row) => [row.name, Number(row.bytes)]));
  const perMessage = Math.round(((bytes.messages ?? 0) + (bytes.search_docs ?? 0)) / messages);
  return { bytes, messagesAndSearchBytesPerMessage: perMessage };
}
