import type {
  ConversationMergePreview,
  ConversationMergeResult,
  ConversationSplitResult,
} from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Conversation } from '../../../api/types.ts';
import { ApiError, get, post, qs } from '../../../api/http.ts';
import { errorText } from '../../../components/error-alert.tsx';
import type { MessageKey, Translate } from '../../../i18n/i18n.tsx';
import { navigate } from '../../../lib/router.ts';
import { inboxHref } from '../../inbox/inbox-route.ts';
import { mergeSplitEn } from './merge-split.en.ts';

/** The customer's other conversations that could be merged into this one (newest activity first). */
export function useMergeCandidates(conv: Conversation, enabled: boolean) {
  return useQuery({
    queryKey: ['merge-candidates', conv.id],
    queryFn: () =>
      get<{ items: Conversation[] }>(`/api/v1/conversations${qs({ contact: conv.contact.id, limit: 50 })}`),
    select: (d) => d.items.filter((c) => c.id !== conv.id && !c.mergedIntoId),
    enabled,
  });
}

export function useMergePreview(conversationId: string, otherId: string | null) {
  return useQuery({
    queryKey: ['merge-preview', conversationId, otherId],
    queryFn: () =>
      get<ConversationMergePreview>(
        `/api/v1/conversations/${encodeURIComponent(conversationId)}/merge-preview${qs({ otherConversationId: otherId })}`,
      ),
    enabled: otherId !== null,
  });
}

export function useMergeConversation(conversationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (otherConversationId: string) =>
      post<ConversationMergeResult>(`/api/v1/conversations/${encodeURIComponent(conversationId)}/merge`, {
        otherConversationId,
      }),
    onSuccess: (r) => {
      qc.setQueryData(['conversation', r.conversation.id], r.conversation);
      void qc.invalidateQueries({ queryKey: ['messages', r.conversation.id] });
      void qc.invalidateQueries({ queryKey: ['conversations'] });
    },
  });
}

export function useSplitConversation(conversationId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (messageIds: string[]) =>
      post<ConversationSplitResult>(`/api/v1/conversations/${encodeURIComponent(conversationId)}/split`, {
        messageIds,
      }),
    onSuccess: (r) => {
      qc.setQueryData(['conversation', r.source.id], r.source);
      qc.setQueryData(['conversation', r.conversation.id], r.conversation);
      void qc.invalidateQueries({ queryKey: ['messages', r.source.id] });
      void qc.invalidateQueries({ queryKey: ['conversations'] });
      openConversation(conversationId, r.conversation.id);
    },
  });
}

/** Opens another conversation in place of this one, keeping the inbox view and filters of the address. */
export function openConversation(fromId: string, toId: string, replace = false): void {
  const here = window.location.pathname;
  const seg = `/${encodeURIComponent(fromId)}`;
  const to = here.endsWith(seg)
    ? `${here.slice(0, -seg.length)}/${encodeURIComponent(toId)}${window.location.search}`
    : inboxHref({ view: 'all', status: 'any' }, toId);
  navigate(to, { replace });
}

/** The merge's and split's own refusals in the operator's language; any other error as everywhere. */
export function moveErrorText(t: Translate, err: unknown): string {
  const key = err instanceof ApiError ? `error.${err.code}` : '';
  return key in mergeSplitEn ? t(key as MessageKey) : errorText(t, err);
}
