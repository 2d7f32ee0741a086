import type { Tx } from '../../../infra/db/database.ts';
import { findAdapter } from '../../channels/channel-registry.ts';

/** A provider message tag a channel may use: its name and how long after the customer's last message. */
export interface UsableTag {
  tag: string;
  windowMs: number;
}

/** The tags a channel's type declares, those gated by a channel setting only when the admin turned it on. */
export function usableTags(channelType: string, settings: Record<string, unknown>): UsableTag[] {
  const declared = findAdapter(channelType)?.capabilities.window.tags ?? [];
  return declared
    .filter((t) => t.enabledBy === null || settings[t.enabledBy] === true)
    .map((t) => ({ tag: t.tag, windowMs: t.windowMs }));
}

export async function channelTags(k: Tx, channelId: string): Promise<UsableTag[]> {
  const ch = await k
    .selectFrom('channels')
    .select(['type', 'settings'])
    .where('id', '=', channelId)
    .executeTakeFirst();
  if (!ch) return [];
  return usableTags(ch.type, JSON.parse(ch.settings) as Record<string, unknown>);
}

/** The tag that still passes now (the one open longest), or null. Open strictly before its end. */
export function openTag(
  tags: UsableTag[],
  lastInboundAt: number | null,
  now: number,
): { name: string; closesAt: number } | null {
  if (lastInboundAt === null) return null;
  let best: { name: string; closesAt: number } | null = null;
  for (const t of tags) {
    const closesAt = lastInboundAt + t.windowMs;
    if (now < closesAt && (!best || closesAt > best.closesAt)) best = { name: t.tag, closesAt };
  }
  return best;
}
