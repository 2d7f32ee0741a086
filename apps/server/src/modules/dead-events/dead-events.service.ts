import type { DeadEventDetailDto, DeadEventDto, DeadEventListQuery } from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import { DomainError, conflict, notFound } from '../../lib/domain-error.ts';
import { decodeCursor, encodeCursor } from '../../http/schemas.ts';
import type { Principal } from '../auth/principal.ts';
import { audit } from '../audit/audit.service.ts';
import { transact } from '../events/unit-of-work.ts';
import { INBOUND_JOB } from '../inbound/process-inbound.job.ts';

function baseQuery(ctx: AppContext, accountId: string) {
  return ctx.db.kysely
    .selectFrom('inbound_events as e')
    .innerJoin('channels as c', 'c.id', 'e.channel_id')
    .leftJoin('users as u', 'u.id', 'e.discarded_by')
    .select([
      'e.id',
      'e.provider_event_id',
      'e.received_at',
      'e.processed_at',
      'e.failed_at',
      'e.last_error',
      'e.retried_at',
      'e.discarded_at',
      'e.discarded_by',
      'c.id as channel_id',
      'c.type as channel_type',
      'c.name as channel_name',
      'u.name as discarded_by_name',
    ])
    .where('e.account_id', '=', accountId);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function toDto(r: Row): DeadEventDto {
  return {
    id: r.id,
    channel: { id: r.channel_id, type: r.channel_type, name: r.channel_name },
    providerEventId: r.provider_event_id,
    status:
      r.discarded_at !== null
        ? 'discarded'
        : r.failed_at !== null
          ? 'dead'
          : r.processed_at !== null
            ? 'processed'
            : 'retrying',
    receivedAt: r.received_at,
    failedAt: r.failed_at,
    lastError: r.last_error,
    retriedAt: r.retried_at,
    discardedAt: r.discarded_at,
    discardedBy: r.discarded_by ? { id: r.discarded_by, name: r.discarded_by_name ?? '' } : null,
  };
}

/** Dead (or discarded) events of the account, newest failure first, keyset-paginated. */
export async function listDeadEvents(
  ctx: AppContext,
  accountId: string,
  q: DeadEventListQuery,
): Promise<{ items: DeadEventDto[]; nextCursor: string | null }> {
  const cursor = decodeCursor(q.cursor);
  if (q.cursor && !(typeof cursor?.[0] === 'number' && typeof cursor[1] === 'string'))
    throw new DomainError('validation_error', 'cursor: malformed');
  let query = baseQuery(ctx, accountId).where('e.failed_at', 'is not', null);
  query =
    q.status === 'discarded'
      ? query.where('e.discarded_at', 'is not', null)
      : query.where('e.discarded_at', 'is', null);
  if (q.channelId) query = query.where('e.channel_id', '=', q.channelId);
  if (cursor) {
    const [at, id] = cursor as [number, string];
    query = query.where((eb) =>
      eb.or([eb('e.failed_at', '<', at), eb.and([eb('e.failed_at', '=', at), eb('e.id', '<', id)])]),
    );
  }
  const rows = await query
    .orderBy('e.failed_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toDto),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.failed_at ?? 0, last.id]) : null,
  };
}

/**
 * One inbound event with its stored payload. Any event of the account can be read here (a retried one
 * shows `retrying` or `processed`); another account's is a 404.
 */
export async function getDeadEvent(
  ctx: AppContext,
  accountId: string,
  id: string,
): Promise<DeadEventDetailDto> {
  const r = await baseQuery(ctx, accountId).select('e.payload').where('e.id', '=', id).executeTakeFirst();
  if (!r) throw notFound('Event');
  let payload: unknown = r.payload;
  try {
    payload = JSON.parse(r.payload);
  } catch {}
  return { ...toDto(r), payload };
}

/**
 * Sends a dead event back to the worker: a new `inbound.process` job, committed with the state change
 * and the audit entry. Without an order key: the customer's later events were not held for it.
 */
export async function retryDeadEvent(ctx: AppContext, p: Principal, id: string): Promise<DeadEventDetailDto> {
  await transact(ctx, async (uow) => {
    const now = ctx.clock.now();
    const r = await uow.tx
      .updateTable('inbound_events')
      .set({ failed_at: null, retried_at: now, discarded_at: null, discarded_by: null })
      .where('id', '=', id)
      .where('account_id', '=', p.accountId)
      .where('failed_at', 'is not', null)
      .where('processed_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      await ensureExists(uow.tx, p.accountId, id);
      throw conflict('This event is not dead: it was processed or is being retried');
    }
    await uow.enqueue({ type: INBOUND_JOB, payload: { inboundEventId: id }, accountId: p.accountId });
    await audit(ctx, uow.tx, p, { action: 'dead_event.retried', targetType: 'inbound_event', targetId: id });
  });
  return getDeadEvent(ctx, p.accountId, id);
}

/** Sets a dead event aside for good. It is kept, with who discarded it and when, and can still be retried. */
export async function discardDeadEvent(
  ctx: AppContext,
  p: Principal,
  id: string,
): Promise<DeadEventDetailDto> {
  await transact(ctx, async (uow) => {
    const r = await uow.tx
      .updateTable('inbound_events')
      .set({ discarded_at: ctx.clock.now(), discarded_by: p.userId })
      .where('id', '=', id)
      .where('account_id', '=', p.accountId)
      .where('failed_at', 'is not', null)
      .where('discarded_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      await ensureExists(uow.tx, p.accountId, id);
      throw conflict('Only a dead event that is not discarded yet can be discarded');
    }
    await audit(ctx, uow.tx, p, {
      action: 'dead_event.discarded',
      targetType: 'inbound_event',
      targetId: id,
    });
  });
  return getDeadEvent(ctx, p.accountId, id);
}

/** Inside the caller's transaction: SQLite has one connection, a query beside the transaction would wait forever. */
async function ensureExists(tx: Tx, accountId: string, id: string): Promise<void> {
  const row = await tx
    .selectFrom('inbound_events')
    .select('id')
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) throw notFound('Event');
}
