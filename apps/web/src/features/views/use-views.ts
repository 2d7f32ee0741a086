import type { SavedView, ViewCreate, ViewPatch } from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, patch, post } from '../../api/http.ts';

const VIEWS_KEY = ['saved-views'];

/** My saved views, then those shared with my teams (GET /api/v1/views). */
export function useSavedViews() {
  return useQuery({
    queryKey: VIEWS_KEY,
    queryFn: () => get<{ items: SavedView[] }>('/api/v1/views').then((r) => r.items),
    staleTime: 60_000,
  });
}

export function useViewMutations() {
  const qc = useQueryClient();
  const onSuccess = () => qc.invalidateQueries({ queryKey: VIEWS_KEY });
  return {
    create: useMutation({ mutationFn: (b: ViewCreate) => post<SavedView>('/api/v1/views', b), onSuccess }),
    update: useMutation({
      mutationFn: ({ id, ...b }: ViewPatch & { id: string }) =>
        patch<SavedView>(`/api/v1/views/${encodeURIComponent(id)}`, b),
      onSuccess,
    }),
    remove: useMutation({
      mutationFn: (id: string) => del(`/api/v1/views/${encodeURIComponent(id)}`),
      onSuccess,
    }),
  };
}
