import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Availability,
  LoginBody,
  MyAccount,
  SwitchAccountBody,
  TwoFactorLoginBody,
} from '@switchboard/shared';
import { ApiError, get, patch, post, setCsrfToken } from './http.ts';
import type { Me } from './types.ts';

export const ME_KEY = ['me'] as const;

/** The signed-in user, or null when there is no valid session (the login page shows). */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<Me | null> => {
      try {
        const me = await get<Me>('/api/v1/me');
        setCsrfToken(me.csrfToken);
        return me;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: (n, err) => err instanceof ApiError && err.code === 'network_error' && n < 3,
  });
}

/** Sign-in: e-mail and password (and the account, when they open several). */
export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    // A person signing in at the console is at work: the account's sign-in presence applies.
    mutationFn: (v: LoginBody) => post<Me>('/api/v1/auth/login', { ...v, startPresence: true }),
    onSuccess: (me) => signedIn(qc, me),
  });
}

/** The second step: a code from the authenticator app or a recovery code. */
export function useLoginTwoFactor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: TwoFactorLoginBody) => post<Me>('/api/v1/auth/login/2fa', { ...v, startPresence: true }),
    onSuccess: (me) => signedIn(qc, me),
  });
}

/** The other accounts this sign-in's password opened (the account switcher). */
export function useMyAccounts() {
  return useQuery({
    queryKey: ['my-accounts'],
    queryFn: async () => (await get<{ items: MyAccount[] }>('/api/v1/me/accounts')).items,
  });
}

/**
 * Switches the session to another account. The page then starts afresh at the inbox: every cached
 * list, the live connection and the address bar belong to the account left behind.
 */
export function useSwitchAccount() {
  return useMutation({
    mutationFn: (v: SwitchAccountBody) =>
      post<Me>('/api/v1/me/accounts/switch', { ...v, startPresence: true }),
    onSuccess: () => window.location.assign('/'),
  });
}

function signedIn(qc: QueryClient, me: Me): void {
  setCsrfToken(me.csrfToken);
  forgetData(qc);
  qc.setQueryData(ME_KEY, me);
}

/** Reloads `me` (after a password change or 2FA enrolment lifts a restriction). */
export function refreshMe(qc: QueryClient): Promise<void> {
  return qc.invalidateQueries({ queryKey: ME_KEY });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => post<void>('/api/v1/auth/logout'),
    onSettled: () => {
      setCsrfToken(null);
      forgetData(qc);
      qc.setQueryData(ME_KEY, null);
    },
  });
}

export function useSetAvailability() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (availability: Availability) => patch<Me>('/api/v1/me', { availability }),
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      qc.setQueryData(ME_KEY, me);
    },
  });
}

/**
 * Drops everything another user's session may have loaded. The `me` entry stays: the app observes
 * it, and an observer of a removed query would never see the new value.
 */
function forgetData(qc: QueryClient): void {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
}

/** Forget the session after a 401 anywhere: the app falls back to the login page. */
export function signedOut(qc: QueryClient): void {
  setCsrfToken(null);
  qc.setQueryData(ME_KEY, null);
}
