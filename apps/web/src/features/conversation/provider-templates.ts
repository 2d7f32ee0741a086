import type { ProviderTemplates } from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs } from '../../api/http.ts';
import type { Message } from '../../api/types.ts';
import { uuid } from '../../lib/uuid.ts';
import { applyMessage } from '../../realtime/live-provider.tsx';

export type { ProviderTemplate, ProviderTemplates } from '@switchboard/shared';

export interface TemplateSend {
  name: string;
  language: string;
  bodyParameters: string[];
  headerParameters: string[];
}

/**
 * The channel's approved templates; asked only when the fallback is shown. `channelId`: another of the
 * customer's channels (a reply there instead of here).
 */
export function useProviderTemplates(conversationId: string, enabled: boolean, channelId?: string) {
  return useQuery({
    queryKey: ['provider-templates', conversationId, channelId],
    queryFn: () =>
      get<ProviderTemplates>(
        `/api/v1/conversations/${encodeURIComponent(conversationId)}/provider-templates${qs({ channelId })}`,
      ),
    enabled,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** Sends an approved template as the reply; the message shows once the server has stored it. */
export function useSendTemplate(conversationId: string, channelId?: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (s: TemplateSend) =>
      post<Message>(`/api/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
        template: {
          name: s.name,
          language: s.language,
          bodyParameters: s.bodyParameters,
          ...(s.headerParameters.length ? { headerParameters: s.headerParameters } : {}),
        },
        clientMessageId: uuid(),
        ...(channelId ? { channelId } : {}),
      }),
    onSuccess: (m) => {
      applyMessage(qc, m);
      if (channelId) void qc.invalidateQueries({ queryKey: ['reply-channels', conversationId] });
    },
  });
}

/** The body as the customer will read it: placeholders replaced by the values typed so far. */
export function previewBody(body: string, values: string[]): string {
  return body.replace(/\{\{\s*(\d+)\s*\}\}/g, (all, n: string) => values[Number(n) - 1]?.trim() || all);
}
