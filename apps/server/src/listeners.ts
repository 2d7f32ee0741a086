import { csatListener } from './modules/csat/csat.listener.ts';
import { applyCsatReceived } from './modules/reports/csat-rollup.ts';
import type { EventPayload } from '@switchboard/shared';
import { botListener } from './modules/bots/bot.listener.ts';
import { automationListener } from './modules/automation/automation.listener.ts';
import { EventListeners, type InTransactionListener } from './modules/events/event-listeners.ts';
import { realtimeListener } from './modules/realtime/realtime.listener.ts';
import { REPORT_EVENT_TYPES } from './modules/reports/report-facts.ts';
import { applyReportEvents } from './modules/reports/reports.listener.ts';
import { slaListener } from './modules/sla/sla.listener.ts';
import { searchListener } from './modules/search/search.listener.ts';
import { webhookListener } from './modules/webhooks/webhook.listener.ts';

/** Report rollups move in the transaction of the change they count (never lost, never doubled). */
const reportsListener: InTransactionListener = {
  name: 'reports.rollups',
  mode: 'in-transaction',
  events: REPORT_EVENT_TYPES,
  handle: (_ctx, uow, event) => applyReportEvents(uow, [event]),
};

/** The CSAT rollup moves with the answer, like the others. */
const csatReportsListener: InTransactionListener = {
  name: 'reports.csat',
  mode: 'in-transaction',
  events: ['csat.received'],
  handle: (_ctx, uow, event) => applyCsatReceived(uow.tx, event.payload as EventPayload<'csat.received'>),
};

/**
 * Every listener of account events, in the order in-transaction ones run. Adding a feature that
 * reacts to events = one line here (see docs/architecture.md, "Listening to events").
 */
export function createEventListeners(): EventListeners {
  return new EventListeners([
    searchListener,
    reportsListener,
    // After the rollups: it reads the cycle they just moved.
    slaListener,
    csatReportsListener,
    csatListener,
    webhookListener,
    botListener,
    automationListener,
    realtimeListener,
  ]);
}
