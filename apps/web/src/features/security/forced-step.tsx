import { Button, Group, Stack, Text, Title } from '@mantine/core';
import type { Me } from '../../api/types.ts';
import { useLogout } from '../../api/session.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { SignedOutFrame } from '../login/login-page.tsx';
import { ChangePasswordForm } from './change-password-form.tsx';
import { TwoFactorEnrol } from './two-factor-panel.tsx';

/**
 * What a signed-in session must do before the console opens: choose its own password (an admin set
 * the current one) or enrol in two-factor sign-in (the account requires it). The API refuses
 * everything else meanwhile.
 */
export function ForcedStep({ me }: { me: Me }) {
  const { t } = useI18n();
  const logout = useLogout();
  const password = me.passwordChangeRequired;
  return (
    <SignedOutFrame>
      <Stack data-testid={password ? 'forced-password-change' : 'forced-2fa-enrol'}>
        <Group justify="space-between" align="flex-start">
          <Title order={1} size="h3">
            {password ? t('security.forcedPasswordTitle') : t('security.forcedTwoFactorTitle')}
          </Title>
        </Group>
        <Text size="sm">
          {password ? t('security.forcedPasswordText') : t('security.forcedTwoFactorText')}
        </Text>
        {password ? <ChangePasswordForm /> : <TwoFactorEnrol />}
        <Button variant="subtle" onClick={() => logout.mutate()}>
          {t('nav.signOut')}
        </Button>
      </Stack>
    </SignedOutFrame>
  );
}
