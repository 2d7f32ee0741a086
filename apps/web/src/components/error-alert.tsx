import type { PasswordProblem } from '@switchboard/shared';
import { Alert, Button, Group, Text } from '@mantine/core';
import { ApiError } from '../api/http.ts';
import { type MessageKey, type Translate, useI18n } from '../i18n/i18n.tsx';

const KNOWN: Record<string, MessageKey> = {
  network_error: 'error.network_error',
  invalid_credentials: 'error.invalid_credentials',
  rate_limited: 'error.rate_limited',
  forbidden: 'error.forbidden',
  csrf_failed: 'error.csrf_failed',
  unauthorized: 'error.unauthorized',
  session_expired: 'error.session_expired',
  validation_error: 'error.validation_error',
  conflict: 'error.conflict',
  window_closed: 'error.window_closed',
  opted_out: 'error.opted_out',
  mention_not_allowed: 'notifications.mentionRefused',
  weak_password: 'error.weak_password',
  invalid_code: 'error.invalid_code',
  password_change_required: 'error.password_change_required',
  two_factor_enrollment_required: 'error.two_factor_enrollment_required',
};

const PASSWORD_PROBLEM_KEYS: Record<PasswordProblem, MessageKey> = {
  too_short: 'password.too_short',
  too_long: 'password.too_long',
  common: 'password.common',
  contains_email: 'password.contains_email',
  reused: 'password.reused',
};

/** A translated sentence for an API error; an endpoint this server does not have reads as "not yet". */
export function errorText(t: Translate, err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 404 && err.message.startsWith('No route')) return t('error.unavailable');
    const problem = (err.details as { problem?: string } | undefined)?.problem;
    if (err.code === 'weak_password' && problem && problem in PASSWORD_PROBLEM_KEYS)
      return t(PASSWORD_PROBLEM_KEYS[problem as PasswordProblem]);
    const key = KNOWN[err.code];
    if (key) return t(key);
    if (err.code === 'not_found') return t('error.not_found');
  }
  return t('error.generic');
}

/** The server's own detail (English, from the API) is shown small, for validation messages and support. */
function detail(err: unknown): string | null {
  if (!(err instanceof ApiError)) return null;
  if (err.code === 'validation_error' || err.code === 'conflict') return err.message;
  return null;
}

export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const more = detail(error);
  return (
    <Alert color="red" variant="light" role="alert">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div>
          <Text size="sm">{errorText(t, error)}</Text>
          {more && (
            <Text size="xs" c="dimmed" className="sb-text">
              {more}
            </Text>
          )}
        </div>
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
