import type { ChannelRuntime } from './channel-adapter.ts';

/**
 * Channels being connected right now, by id. Some providers check the webhook while the registration
 * call is still running (Viber's `set_webhook` posts a signed `webhook` probe and fails unless it gets
 * 200), before the new channel is stored or a reactivated one is active again: the webhook route
 * verifies such a probe with the credentials held here. Process-local: the probe must reach the node
 * that is connecting the channel (true for one node, and for sticky or direct routing).
 */
const connecting = new Map<string, ChannelRuntime>();

export async function whileConnecting<T>(channel: ChannelRuntime, fn: () => Promise<T>): Promise<T> {
  connecting.set(channel.id, channel);
  try {
    return await fn();
  } finally {
    if (connecting.get(channel.id) === channel) connecting.delete(channel.id);
  }
}

export function connectingChannel(id: string): ChannelRuntime | undefined {
  return connecting.get(id);
}
