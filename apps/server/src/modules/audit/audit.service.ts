import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import type { Tx } from '../../infra/db/database.ts';
import type { Principal } from '../auth/principal.ts';

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
  ip?: string;
}

/** Records an admin action; pass the transaction so the entry commits (or not) with the change itself. */
export async function audit(
  ctx: AppContext,
  tx: Tx,
  who: Pick<Principal, 'accountId'> & { userId: string | null },
  e: AuditEntry,
) {
  const now = ctx.clock.now();
  await tx
    .insertInto('audit_log')
    .values({
      id: newId(now),
      account_id: who.accountId,
      user_id: who.userId,
      action: e.action,
      target_type: e.targetType ?? null,
      target_id: e.targetId ?? null,
      details: JSON.stringify(e.details ?? {}),
      ip: e.ip ?? null,
      created_at: now,
    })
    .execute();
}
