import type { CenterMode, CenterReason } from '@switchboard/shared';
import type { Tx } from '../../../infra/db/database.ts';
import type { ChannelRouting } from '../settings/routing-settings.ts';
import { isOpenAt, nextOpenAt } from './schedule.ts';

export { CENTER_MODES, type CenterMode, type CenterReason } from '@switchboard/shared';

export interface CenterState {
  online: boolean;
  reason: CenterReason;
  /** The mode in force for the channel: its own when forced, otherwise the account's. */
  mode: CenterMode;
  /** The channel's own override; auto = it follows the account. */
  channelMode: CenterMode;
  /** Which level's override decides, when one does. */
  forcedBy: 'channel' | 'account' | null;
  /** Whether the channel's schedule is open now (true when it has none). */
  scheduleOpen: boolean;
  operatorsOnline: number;
  /** When the schedule opens next, while it is closed; null when unknown. */
  nextOpenAt: number | null;
}

export async function centerMode(k: Tx, accountId: string): Promise<CenterMode> {
  const row = await k
    .selectFrom('center_status')
    .select('mode')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return (row?.mode as CenterMode | undefined) ?? 'auto';
}

export async function channelCenterMode(k: Tx, channelId: string): Promise<CenterMode> {
  const row = await k
    .selectFrom('channel_center_status')
    .select('mode')
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  return (row?.mode as CenterMode | undefined) ?? 'auto';
}

/** Operators who could answer on this channel right now: online members of its team (or of the account). */
export async function onlineOperatorCount(k: Tx, accountId: string, teamId: string | null): Promise<number> {
  const r = await k
    .selectFrom('memberships as m')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('m.account_id', '=', accountId)
    .where('m.active', '=', 1)
    .where('m.availability', '=', 'online')
    .$if(teamId !== null, (q) =>
      q.where('m.user_id', 'in', (eb) =>
        eb.selectFrom('team_members').select('user_id').where('team_id', '=', teamId!),
      ),
    )
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * The center is online for a channel when its schedule is open and at least one of its operators is
 * online; an admin's override wins over both, the channel's own over the account's (the more specific
 * decision: "this one channel stays open during the company-wide shutdown").
 */
export async function centerState(k: Tx, r: ChannelRouting, now: number): Promise<CenterState> {
  const accountMode = await centerMode(k, r.accountId);
  const channelMode = await channelCenterMode(k, r.channelId);
  const mode = channelMode !== 'auto' ? channelMode : accountMode;
  const forcedBy = channelMode !== 'auto' ? 'channel' : accountMode !== 'auto' ? 'account' : null;
  const scheduleOpen = r.schedule ? isOpenAt(r.schedule, now) : true;
  const operatorsOnline = await onlineOperatorCount(k, r.accountId, r.teamId);
  const next = !scheduleOpen && r.schedule ? nextOpenAt(r.schedule, now) : null;
  const base = { mode, channelMode, forcedBy, scheduleOpen, operatorsOnline, nextOpenAt: next } as const;
  if (mode === 'online') return { ...base, online: true, reason: 'forced_online' };
  if (mode === 'offline') return { ...base, online: false, reason: 'forced_offline' };
  if (!scheduleOpen) return { ...base, online: false, reason: 'outside_hours' };
  if (operatorsOnline === 0) return { ...base, online: false, reason: 'no_operator_online' };
  return { ...base, online: true, reason: 'open' };
}
