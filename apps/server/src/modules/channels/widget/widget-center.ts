import type { AppContext } from '../../../app-context.ts';
import type { Row } from '../../../infra/db/schema.ts';
import { centerState } from '../../routing/schedules/center.service.ts';
import { loadChannelRouting } from '../../routing/settings/routing-settings.ts';

export interface WidgetAvailability {
  online: boolean;
  /** Why not, when offline: outside working hours, nobody online, or switched off by an admin. */
  reason: string;
  /** When the channel's working hours open next (epoch ms), while closed; null when unknown. */
  nextOpenAt: number | null;
}

/** Whether someone can answer on this channel now (the routing module's center state). */
export async function widgetAvailability(
  ctx: AppContext,
  channel: Row<'channels'>,
): Promise<WidgetAvailability> {
  const k = ctx.db.kysely;
  const s = await centerState(k, await loadChannelRouting(k, channel), ctx.clock.now());
  return { online: s.online, reason: s.reason, nextOpenAt: s.nextOpenAt };
}
