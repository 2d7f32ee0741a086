import type {
  AccountSecurity,
  ChangePasswordBody,
  RecoveryCodesResult,
  ResetAccessBody,
  ResetAccessResult,
  TwoFactorSetup,
  TwoFactorStatus,
} from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, put } from './http.ts';
import { refreshMe } from './session.ts';

const TWO_FACTOR_KEY = ['me', '2fa'] as const;

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: ChangePasswordBody) => post<void>('/api/v1/me/password', v),
    onSuccess: () => refreshMe(qc),
  });
}

export function useTwoFactorStatus() {
  return useQuery({ queryKey: TWO_FACTOR_KEY, queryFn: () => get<TwoFactorStatus>('/api/v1/me/2fa') });
}

export function useTwoFactorSetup() {
  return useMutation({ mutationFn: () => post<TwoFactorSetup>('/api/v1/me/2fa/setup') });
}

/**
 * Confirms enrolment; the answer's recovery codes are shown once (the caller keeps them in state).
 * Nothing is refetched yet: the screen showing the codes must stay until they were saved.
 */
export function useTwoFactorConfirm() {
  return useMutation({
    mutationFn: (code: string) => post<RecoveryCodesResult>('/api/v1/me/2fa/confirm', { code }),
  });
}

/** After the codes were saved: the status shows "on", and a "require two-factor" restriction lifts. */
export function useFinishEnrolment() {
  const qc = useQueryClient();
  return async () => {
    await qc.invalidateQueries({ queryKey: TWO_FACTOR_KEY });
    await refreshMe(qc);
  };
}

export function useTwoFactorDisable() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { password: string; code: string }) => post<void>('/api/v1/me/2fa/disable', v),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: TWO_FACTOR_KEY });
      await refreshMe(qc);
    },
  });
}

export function useResetAccess() {
  return useMutation({
    mutationFn: ({ userId, body }: { userId: string; body: ResetAccessBody }) =>
      post<ResetAccessResult>(`/api/v1/users/${encodeURIComponent(userId)}/reset-access`, body),
  });
}

export function useUseAccessLink() {
  return useMutation({
    mutationFn: (v: { token: string; newPassword: string }) => post<void>('/api/v1/auth/access-link', v),
  });
}

const SECURITY_KEY = ['account', 'security'] as const;

export function useAccountSecurity() {
  return useQuery({
    queryKey: SECURITY_KEY,
    queryFn: () => get<AccountSecurity>('/api/v1/account/security'),
  });
}

export function useSetAccountSecurity() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: Partial<AccountSecurity>) => put<AccountSecurity>('/api/v1/account/security', v),
    onSuccess: (v) => qc.setQueryData(SECURITY_KEY, v),
  });
}
