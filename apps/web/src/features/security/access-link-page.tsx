import { PASSWORD_MIN_LENGTH } from '@switchboard/shared';
import { Alert, Button, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useUseAccessLink } from '../../api/security.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.ts';
import { SignedOutFrame } from '../login/login-page.tsx';

/** `/access#<token>`: the one-time link an admin made; the member chooses a password, then signs in. */
export function AccessLinkPage() {
  const { t } = useI18n();
  const use = useUseAccessLink();
  const [token] = useState(() => window.location.hash.slice(1));
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    use.mutate({ token, newPassword: password });
  };
  return (
    <SignedOutFrame>
      <form onSubmit={submit}>
        <Stack>
          <Title order={1} size="h3">
            {t('security.accessTitle')}
          </Title>
          {use.isSuccess ? (
            <>
              <Alert color="green">{t('security.accessDone')}</Alert>
              <Button onClick={() => navigate('/', { replace: true })}>{t('login.submit')}</Button>
            </>
          ) : (
            <>
              <Text size="sm">{t('security.accessText')}</Text>
              <PasswordInput
                label={t('security.newPassword')}
                description={t('security.policy', { n: PASSWORD_MIN_LENGTH })}
                autoComplete="new-password"
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }}
              />
              {use.isError && <ErrorAlert error={use.error} />}
              <Button type="submit" loading={use.isPending}>
                {t('security.setPassword')}
              </Button>
            </>
          )}
        </Stack>
      </form>
    </SignedOutFrame>
  );
}
