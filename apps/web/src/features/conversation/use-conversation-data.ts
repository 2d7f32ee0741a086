import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, get, patch, post, qs } from '../../api/http.ts';
import type {
  Attachment,
  Conversation,
  Me,
  Message,
  MessagingWindow,
  Page,
  RenderedTemplate,
  Template,
} from '../../api/types.ts';
import { applyConversation, applyMessage } from '../../realtime/live-provider.tsx';

/** A conversation's history: the newest page first, older pages as the operator scrolls up. */
export function useMessages(conversationId: string) {
  return useInfiniteQuery({
    queryKey: ['messages', conversationId],
    queryFn: ({ pageParam }) =>
      get<Page<Message>>(
        `/api/v1/conversations/${encodeURIComponent(conversationId)}/messages${qs({ limit: 50, cursor: pageParam })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export interface ConversationPatch {
  status?: Conversation['status'];
  snoozedUntil?: number;
  assigneeId?: string | null;
  teamId?: string | null;
  priority?: Conversation['priority'];
  labels?: string[];
  /** Transfer with a comment: the receiver sees it on top of the conversation and is notified. */
  note?: string;
}

export function usePatchConversation(id: string, meId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ConversationPatch) =>
      patch<Conversation>(`/api/v1/conversations/${encodeURIComponent(id)}`, body),
    onSuccess: (conv) => applyConversation(qc, conv, meId),
  });
}

export interface Outgoing {
  text: string;
  private: boolean;
  clientMessageId: string;
  /** Uploaded files (`id` is the upload's id); shown as they are until the server's copy arrives. */
  attachments?: Attachment[];
  /** E-mail replies: subject and Cc (the server fills in `Re:` and the thread's subject when absent). */
  email?: { subject?: string; cc?: string[] };
  /** A note's @mentioned colleagues (user ids): each gets a notification. */
  mentions?: string[];
}

function localCopy(conversationId: string, channelId: string, me: Me, o: Outgoing): Message {
  const now = Date.now();
  return {
    id: `local:${o.clientMessageId}`,
    conversationId,
    channelId,
    direction: 'out',
    authorKind: 'user',
    authorId: me.user.id,
    contentKind: o.text || !o.attachments?.[0] ? 'text' : o.attachments[0].kind,
    text: o.text || null,
    private: o.private,
    mentions: o.mentions ?? [],
    clientMessageId: o.clientMessageId,
    providerMessageId: null,
    deliveryStatus: null,
    error: null,
    providerTs: null,
    meta: o.email ? { email: o.email } : {},
    attachments: o.attachments ?? [],
    createdAt: now,
    updatedAt: now,
    local: 'sending',
  };
}

/**
 * Sends a reply or note. It shows at once; the clientMessageId makes a retry after a network error
 * safe (the server answers with the message it already has instead of storing a second one).
 */
export function useSendMessage(conversationId: string, channelId: string, me: Me) {
  const qc = useQueryClient();
  const conv = { id: conversationId, channel: { id: channelId } };
  return useMutation({
    mutationFn: (o: Outgoing) =>
      post<Message>(`/api/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
        text: o.text || undefined,
        clientMessageId: o.clientMessageId,
        private: o.private,
        ...(o.attachments?.length ? { attachments: o.attachments.map((a) => ({ uploadId: a.id })) } : {}),
        ...(o.email ? { email: o.email } : {}),
        ...(o.mentions?.length ? { mentions: o.mentions } : {}),
      }),
    onMutate: (o) => applyMessage(qc, localCopy(conv.id, conv.channel.id, me, o)),
    onSuccess: (m) => applyMessage(qc, m),
    onError: (err, o) =>
      applyMessage(qc, {
        ...localCopy(conv.id, conv.channel.id, me, o),
        local: 'failed',
        error: {
          code: err instanceof ApiError ? err.code : 'unknown',
          message: err instanceof Error ? err.message : String(err),
        },
      }),
  });
}

/**
 * Whether a reply may be sent now (channels like WhatsApp only allow it within a window after the
 * customer's last message). Refetched when the customer writes again and when the window closes.
 */
export function useMessagingWindow(conversationId: string, lastInboundAt: number | null) {
  return useQuery({
    queryKey: ['window', conversationId, lastInboundAt],
    queryFn: () => get<MessagingWindow>(`/api/v1/conversations/${encodeURIComponent(conversationId)}/window`),
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 2,
    staleTime: Number.POSITIVE_INFINITY,
    refetchInterval: (q) => {
      const w = q.state.data;
      if (!w?.open || w.closesAt === null) return false;
      return Math.min(Math.max(w.closesAt - w.now + 1000, 1000), 600_000);
    },
  });
}

/**
 * Tells colleagues with the conversation open that the operator is typing, and for a reply (not a
 * note) the customer's side too, where the channel can show it.
 */
export function sendTyping(conversationId: string, typing: boolean, note = false): void {
  const body = { typing, private: note };
  post(`/api/v1/conversations/${encodeURIComponent(conversationId)}/typing`, body).catch(() => {
    // Best effort: a lost typing signal only delays an indicator.
  });
}

/** Saved replies this operator may use (account, team and personal ones); none on an older server. */
export function useTemplates() {
  return useQuery({
    queryKey: ['templates'],
    queryFn: () => get<{ items: Template[] }>('/api/v1/templates').then((r) => r.items),
    staleTime: 60_000,
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 2,
  });
}

export function renderTemplate(templateId: string, conversationId: string): Promise<RenderedTemplate> {
  return post<RenderedTemplate>(`/api/v1/templates/${encodeURIComponent(templateId)}/render`, {
    conversationId,
  });
}
