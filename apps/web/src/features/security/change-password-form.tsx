import { PASSWORD_MIN_LENGTH } from '@switchboard/shared';
import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useChangePassword } from '../../api/security.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

/** Current password plus a new one typed twice; the server applies the policy and says why it refuses. */
export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const { t } = useI18n();
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const mismatch = again !== '' && next !== again;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (mismatch) return;
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setAgain('');
          onDone?.();
        },
      },
    );
  }

  const toggle = { 'aria-label': t('login.showPassword') };
  return (
    <form onSubmit={submit} data-testid="change-password">
      <Stack>
        <PasswordInput
          label={t('security.currentPassword')}
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          data-testid="current-password"
          visibilityToggleButtonProps={toggle}
        />
        <PasswordInput
          label={t('security.newPassword')}
          description={t('security.policy', { n: PASSWORD_MIN_LENGTH })}
          autoComplete="new-password"
          required
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          data-testid="new-password"
          visibilityToggleButtonProps={toggle}
        />
        <PasswordInput
          label={t('security.repeatPassword')}
          autoComplete="new-password"
          required
          value={again}
          error={mismatch ? t('security.mismatch') : undefined}
          onChange={(e) => setAgain(e.currentTarget.value)}
          data-testid="repeat-password"
          visibilityToggleButtonProps={toggle}
        />
        {change.isError && <ErrorAlert error={change.error} />}
        {change.isSuccess && <Alert color="green">{t('security.passwordChanged')}</Alert>}
        <Group justify="flex-end">
          <Button type="submit" loading={change.isPending} disabled={mismatch}>
            {t('security.changePassword')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
