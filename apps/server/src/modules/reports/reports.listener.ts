import type { AccountEvent } from '@switchboard/shared';
import type { Tx } from '../../infra/db/database.ts';
import { perTransaction } from '../../infra/db/per-transaction.ts';
import { factOfEvent, REPORT_EVENT_TYPES } from './report-facts.ts';
import { applyFact, businessTimeForChannel } from './rollup-writer.ts';

const TYPES = new Set<string>(REPORT_EVENT_TYPES);

/**
 * Feeds the rollups in the transaction that emits the events, in emit order: a figure is visible the
 * moment its change commits, and a rollback takes it back with the change (never lost, never doubled).
 */
export async function applyReportEvents(
  uow: { tx: Tx },
  events: Array<Pick<AccountEvent, 'accountId' | 'type' | 'payload' | 'createdAt'>>,
): Promise<void> {
  // A channel's business hours are settings no listener writes: read once per transaction (the cycle
  // itself moves with every fact, so `applyFact` reads it each time).
  const businessTime = (channelId: string) =>
    perTransaction(uow, `reports.businessTime:${channelId}`, () => businessTimeForChannel(uow.tx, channelId));
  for (const e of events) {
    if (!TYPES.has(e.type)) continue;
    const fact = factOfEvent(e);
    if (fact) await applyFact(uow.tx, fact, businessTime);
  }
}
