import type { ContactHistoryPage, ReplyChannel } from '@switchboard/shared';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs } from '../../../api/http.ts';
import type { Message } from '../../../api/types.ts';
import { applyMessage } from '../../../realtime/live-provider.tsx';
import type { Outgoing } from '../use-conversation-data.ts';

/** The customer's messages in their other conversations, newest page first; asked only once opened. */
export function useContactHistory(contactId: string, conversationId: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['contact-history', contactId, conversationId],
    queryFn: ({ pageParam }) =>
      get<ContactHistoryPage>(
        `/api/v1/contacts/${encodeURIComponent(contactId)}/history${qs({ limit: 30, cursor: pageParam, exclude: conversationId })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

/** The customer's channels a reply may go on, each with its messaging window. */
export function useReplyChannels(conversationId: string, lastInboundAt: number | null) {
  return useQuery({
    queryKey: ['reply-channels', conversationId, lastInboundAt],
    queryFn: () =>
      get<{ items: ReplyChannel[] }>(
        `/api/v1/conversations/${encodeURIComponent(conversationId)}/reply-channels`,
      ).then((r) => r.items),
    staleTime: 60_000,
  });
}

/**
 * A reply on another of the customer's channels: the same route as any reply with `channelId`, so the
 * window, opt-outs and the delivery queue apply; it lands in the customer's conversation there.
 */
export function useSendElsewhere(conversationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (o: Outgoing & { channelId: string }) =>
      post<Message>(`/api/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
        text: o.text || undefined,
        clientMessageId: o.clientMessageId,
        channelId: o.channelId,
        ...(o.attachments?.length ? { attachments: o.attachments.map((a) => ({ uploadId: a.id })) } : {}),
      }),
    onSuccess: (m) => {
      applyMessage(qc, m);
      void qc.invalidateQueries({ queryKey: ['contact-history'] });
      void qc.invalidateQueries({ queryKey: ['reply-channels', conversationId] });
    },
  });
}
