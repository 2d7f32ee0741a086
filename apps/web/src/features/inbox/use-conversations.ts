import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, qs } from '../../api/http.ts';
import type { Conversation, Page } from '../../api/types.ts';
import { type InboxFilter, filterParams } from './inbox-filter.ts';

const PAGE = 50;

/** One inbox list, paged by cursor; live events keep the loaded pages current (see live-provider). */
export function useConversationList(filter: InboxFilter) {
  return useInfiniteQuery({
    queryKey: ['conversations', filter],
    queryFn: ({ pageParam }) =>
      get<Page<Conversation>>(
        `/api/v1/conversations${qs({ ...filterParams(filter), limit: PAGE, cursor: pageParam })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useConversation(id: string | undefined) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: ['conversation', id],
    queryFn: () => get<Conversation>(`/api/v1/conversations/${encodeURIComponent(id!)}`),
    enabled: id !== undefined,
    staleTime: Number.POSITIVE_INFINITY,
    // Opening a row shows what the list already knows while the full record loads.
    placeholderData: () => {
      for (const [, data] of qc.getQueriesData<{ pages: Page<Conversation>[] }>({
        queryKey: ['conversations'],
      })) {
        for (const p of data?.pages ?? []) {
          const c = p.items.find((x) => x.id === id);
          if (c) return c;
        }
      }
      return undefined;
    },
  });
}
