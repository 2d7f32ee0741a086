import type { Tx } from '../../infra/db/database.ts';
import { DomainError } from '../../lib/domain-error.ts';

/**
 * A team id given in a request must be one of the account's own teams: another account's id is refused
 * as if it did not exist. `field` names the request field in the error.
 */
export async function requireAccountTeam(
  k: Tx,
  accountId: string,
  teamId: string,
  field = 'teamId',
): Promise<{ id: string }> {
  const team = await k
    .selectFrom('teams')
    .select('id')
    .where('id', '=', teamId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!team) throw new DomainError('validation_error', `${field}: no such team in this account`);
  return team;
}
