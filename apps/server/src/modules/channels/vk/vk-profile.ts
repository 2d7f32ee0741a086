import type { ChannelRuntime } from '../channel-adapter.ts';
import { type Http, VkApiError, callVk } from './vk-client.ts';
import { vkJobError } from './vk-errors.ts';
import { CHAT_PEER_BASE } from './vk-types.ts';

interface VkUser {
  id: number;
  first_name?: string;
  last_name?: string;
  deactivated?: string;
}

/**
 * The name behind a peer id, which the Callback API never sends: a user's first and last name
 * (`users.get`), a group chat's title (`messages.getConversationsById`).
 */
export async function fetchVkName(
  http: Http,
  channel: ChannelRuntime,
  externalId: string,
): Promise<{ name: string | null }> {
  const peer = Number(externalId);
  if (!Number.isSafeInteger(peer)) return { name: null };
  try {
    if (peer >= CHAT_PEER_BASE) {
      const r = await callVk<{ items?: { chat_settings?: { title?: string } }[] }>(
        http,
        channel,
        'messages.getConversationsById',
        { peer_ids: peer, group_id: Number(channel.settings.groupId) || undefined },
      );
      const title = r.items?.[0]?.chat_settings?.title?.trim();
      return { name: title ? title.slice(0, 200) : 'VK chat' };
    }
    if (peer <= 0) return { name: null };
    const users = await callVk<VkUser[]>(http, channel, 'users.get', { user_ids: peer });
    const u = users[0];
    const name = [u?.first_name, u?.last_name].filter(Boolean).join(' ').trim();
    return { name: name ? name.slice(0, 200) : null };
  } catch (err) {
    // A name is a nicety: anything but a passing failure leaves the contact unnamed.
    if (err instanceof VkApiError && ![6, 9, 10, 29].includes(err.errorCode)) return { name: null };
    throw vkJobError(err);
  }
}
