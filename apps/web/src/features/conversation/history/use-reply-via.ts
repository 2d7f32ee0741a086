import { useEffect, useState } from 'react';
import type { Message } from '../../../api/types.ts';
import { useReplyChannels, useSendElsewhere } from './use-history.ts';

/**
 * The operator's "reply via" choice for one conversation: this conversation's channel unless they pick
 * another of the customer's; `target` is that other channel (undefined while answering here).
 */
export function useReplyVia(conversationId: string, lastInboundAt: number | null) {
  const channels = useReplyChannels(conversationId, lastInboundAt);
  const [via, setVia] = useState<string | null>(null);
  const [sent, setSent] = useState<Message>();
  const send = useSendElsewhere(conversationId);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new conversation starts on its own channel
  useEffect(() => {
    setVia(null);
    setSent(undefined);
  }, [conversationId]);
  const items = channels.data ?? [];
  const here = items.find((rc) => rc.current);
  return {
    items,
    value: via ?? here?.channel.id ?? '',
    setVia,
    target: items.find((rc) => rc.channel.id === via && !rc.current),
    sent,
    setSent,
    send,
  };
}
