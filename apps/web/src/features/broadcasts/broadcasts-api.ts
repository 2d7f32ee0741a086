import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { ApiError, get, post, qs } from '../../api/http.ts';
import type {
  BroadcastDto,
  BroadcastPreview,
  LabelsInUse,
  Page,
  RecipientDto,
  RecipientOutcome,
  broadcastPreviewBody,
  createBroadcastBody,
} from '@switchboard/shared';
import type { z } from 'zod';

/** The broadcast shapes are the server's (packages/shared contracts/broadcasts.ts). */
export {
  RECIPIENT_OUTCOMES,
  type BroadcastCounts,
  type BroadcastDelivery,
  type BroadcastPreview,
  type RecipientOutcome,
  type TemplateContent,
} from '@switchboard/shared';
export type Broadcast = BroadcastDto;
export type Recipient = RecipientDto;
export type CreateBroadcastBody = z.input<typeof createBroadcastBody> & { clientBroadcastId: string };

/** While a broadcast runs its figures move: the screens ask again this often until it is done. */
export const POLL_MS = 2_000;
/** Done, but some of its messages still wait for the provider: their delivery counts still change. */
export const SENDING_POLL_MS = 5_000;

/** How often to ask again about a broadcast: often while it runs, less while messages go out, then never. */
export function pollInterval(b: Broadcast | undefined): number | false {
  if (!b || b.status === 'running') return POLL_MS;
  return b.delivery.queued > 0 ? SENDING_POLL_MS : false;
}

const noRetryOn4xx = (n: number, err: unknown) =>
  !(err instanceof ApiError && err.status >= 400 && err.status < 500) && n < 2;

export function useBroadcastList() {
  return useInfiniteQuery({
    queryKey: ['broadcasts', 'list'],
    queryFn: ({ pageParam }) =>
      get<Page<Broadcast>>(`/api/v1/broadcasts${qs({ limit: 20, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (q) => {
      const every = (q.state.data?.pages ?? []).flatMap((p) => p.items.map(pollInterval));
      return every.includes(POLL_MS) ? POLL_MS : every.includes(SENDING_POLL_MS) ? SENDING_POLL_MS : false;
    },
    retry: noRetryOn4xx,
  });
}

export function useBroadcast(id: string) {
  return useQuery({
    queryKey: ['broadcasts', 'one', id],
    queryFn: () => get<Broadcast>(`/api/v1/broadcasts/${encodeURIComponent(id)}`),
    refetchInterval: (q) => pollInterval(q.state.data),
    retry: noRetryOn4xx,
  });
}

export function useRecipients(id: string, outcome: RecipientOutcome | null, every: number | false) {
  return useInfiniteQuery({
    queryKey: ['broadcasts', 'recipients', id, outcome],
    queryFn: ({ pageParam }) =>
      get<Page<Recipient>>(
        `/api/v1/broadcasts/${encodeURIComponent(id)}/recipients${qs({ outcome, limit: 50, cursor: pageParam })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: every,
    placeholderData: keepPreviousData,
    retry: noRetryOn4xx,
  });
}

/** Labels in use, most used first, with how many contacts carry each (GET /contacts/labels). */
export function useLabelSuggestions(q: string) {
  return useQuery({
    queryKey: ['contact-labels', q],
    queryFn: () => get<LabelsInUse>(`/api/v1/contacts/labels${qs({ q, limit: 20 })}`),
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

export function usePreview() {
  return useMutation({
    mutationFn: (body: z.input<typeof broadcastPreviewBody>) =>
      post<BroadcastPreview>('/api/v1/broadcasts/preview', body),
  });
}

export function useCreateBroadcast() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateBroadcastBody) => post<Broadcast>('/api/v1/broadcasts', body),
    onSuccess: (b) => {
      qc.setQueryData(['broadcasts', 'one', b.id], b);
      void qc.invalidateQueries({ queryKey: ['broadcasts', 'list'] });
    },
  });
}
