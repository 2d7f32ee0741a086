import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ApiError, get } from './http.ts';
import type { Channel, Team, User } from './types.ts';

/** A missing endpoint (older server) answers 404 for the whole path: not worth retrying. */
const noRetryOn404 = (n: number, err: unknown) => !(err instanceof ApiError && err.status === 404) && n < 2;

export function useChannels() {
  return useQuery({
    queryKey: ['channels'],
    queryFn: () => get<{ items: Channel[] }>('/api/v1/channels').then((r) => r.items),
    staleTime: 60_000,
  });
}

export function useUsers() {
  return useQuery({
    queryKey: ['users'],
    queryFn: () => get<{ items: User[] }>('/api/v1/users').then((r) => r.items),
    staleTime: 60_000,
    retry: noRetryOn404,
  });
}

export function useTeams() {
  return useQuery({
    queryKey: ['teams'],
    queryFn: () => get<{ items: Team[] }>('/api/v1/teams').then((r) => r.items),
    staleTime: 60_000,
    retry: noRetryOn404,
  });
}

/** Display names of the account's users by id (empty until the users API answers). */
export function useUserNames(): Map<string, User> {
  const { data } = useUsers();
  return useMemo(() => new Map((data ?? []).map((u) => [u.id, u])), [data]);
}
