import { beforeAll, expect } from 'vitest';
import type { Session } from '../../../test/test-app.ts';
import { type AppFixture, useTestApp } from '../../../test/use-test-app.ts';
import type { DialectName } from '../../infra/db/database.ts';
import { ManualClock } from '../../infra/clock.ts';
import { at, buildCorpus, type Corpus, DAY0 } from '../search/search-corpus.fixture.ts';

export interface ExportSuite {
  t: AppFixture;
  clock: ManualClock;
  /** The search corpus the suite exports (built once per suite, account zone Europe/Moscow). */
  corpus(): Corpus;
  /** Starts an export as `s`, runs its job and downloads the file, checking each step's answer. */
  exportFile(
    s: Session,
    body: unknown,
  ): Promise<{ id: string; file: Buffer; status: Record<string, unknown> }>;
}

/** One app per suite holding the search corpus, its account in Moscow time, the clock on day 3. */
export function useExportSuite(dialect: DialectName): ExportSuite {
  const clock = new ManualClock(DAY0 - 3_600_000);
  const t = useTestApp(dialect, { clock, per: 'suite' });
  let c: Corpus | undefined;

  beforeAll(async () => {
    c = await buildCorpus(t, clock);
    const tz = await t.as(t.admin, 'PUT', '/api/v1/account/time-zone', { timeZone: 'Europe/Moscow' });
    expect(tz.statusCode, tz.body).toBe(200);
    clock.set(at(3, 0));
  });

  async function exportFile(s: Session, body: unknown) {
    const start = await t.as(s, 'POST', '/api/v1/exports', body);
    expect(start.statusCode, start.body).toBe(202);
    expect(start.json().status).toBe('pending');
    const id = start.json().id as string;
    await t.drainJobs();
    const status = await t.as(s, 'GET', `/api/v1/exports/${id}`);
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ status: 'done', downloadUrl: `/api/v1/exports/${id}/download` });
    const dl = await t.as(s, 'GET', `/api/v1/exports/${id}/download`);
    expect(dl.statusCode, dl.body).toBe(200);
    expect(dl.headers['content-disposition']).toMatch(/^attachment; filename="switchboard-/);
    return { id, file: dl.rawPayload, status: status.json() };
  }

  const corpus = () => {
    if (!c) throw new Error('useExportSuite: the corpus is built in beforeAll');
    return c;
  };
  return { t, clock, corpus, exportFile };
}
