import { Divider, Paper, Stack, Title } from '@mantine/core';
import { useI18n } from '../../i18n/i18n.tsx';
import { ChangePasswordForm } from './change-password-form.tsx';
import { TwoFactorPanel } from './two-factor-panel.tsx';

/** The signed-in user's own sign-in: password and two-factor. */
export function SecurityPage() {
  const { t } = useI18n();
  return (
    <Stack maw={640}>
      <Title order={1} size="h3">
        {t('security.title')}
      </Title>
      <Paper withBorder p="md">
        <Title order={2} size="h5" mb="sm">
          {t('security.password')}
        </Title>
        <ChangePasswordForm />
      </Paper>
      <Divider />
      <Paper withBorder p="md">
        <Title order={2} size="h5" mb="sm">
          {t('security.twoFactor')}
        </Title>
        <TwoFactorPanel />
      </Paper>
    </Stack>
  );
}
