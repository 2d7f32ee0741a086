import { type ResetAccessResult, SIGN_IN_AVAILABILITY, type SignInAvailability } from '@switchboard/shared';
import { Alert, Button, Checkbox, Group, SegmentedControl, Select, Stack, Switch, Text } from '@mantine/core';
import { useState } from 'react';
import { useAccountSecurity, useResetAccess, useSetAccountSecurity } from '../../api/security.ts';
import type { User } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { SecretField } from '../../components/secret-field.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

/** "Reset access": the member's password stops working; a temporary password or a one-time link, shown once. */
export function ResetAccess({ user }: { user: User }) {
  const { t } = useI18n();
  const reset = useResetAccess();
  const [mode, setMode] = useState<'temporary_password' | 'link'>('temporary_password');
  const [disableTwoFactor, setDisableTwoFactor] = useState(false);
  const [result, setResult] = useState<ResetAccessResult | null>(null);
  if (result)
    return (
      <Stack data-testid="reset-result">
        <Alert color="yellow">{t('admin.users.resetShowOnce')}</Alert>
        {result.temporaryPassword && (
          <SecretField
            label={t('admin.users.temporaryPassword')}
            value={result.temporaryPassword}
            testId="temporary-password"
          />
        )}
        {result.link && (
          <SecretField label={t('admin.users.accessLink')} value={result.link} testId="access-link" />
        )}
        <Text size="xs" c="dimmed">
          {result.temporaryPassword ? t('admin.users.temporaryHint') : t('admin.users.linkHint')}
        </Text>
      </Stack>
    );
  return (
    <Stack>
      <Text size="sm">{t('admin.users.resetIntro', { email: user.email })}</Text>
      <SegmentedControl
        value={mode}
        onChange={(v) => setMode(v as typeof mode)}
        data={[
          { value: 'temporary_password', label: t('admin.users.temporaryPassword') },
          { value: 'link', label: t('admin.users.accessLink') },
        ]}
      />
      <Checkbox
        label={t('admin.users.resetTwoFactor')}
        checked={disableTwoFactor}
        onChange={(e) => setDisableTwoFactor(e.currentTarget.checked)}
      />
      {reset.isError && <ErrorAlert error={reset.error} />}
      <Group justify="flex-end">
        <Button
          color="red"
          loading={reset.isPending}
          onClick={() =>
            reset.mutate({ userId: user.id, body: { mode, disableTwoFactor } }, { onSuccess: setResult })
          }
          data-testid="reset-confirm"
        >
          {t('admin.users.resetAccess')}
        </Button>
      </Group>
    </Stack>
  );
}

/** The account's sign-in settings: "Require two-factor sign-in" and the presence an operator signs in with. */
export function RequireTwoFactorSwitch() {
  const { t } = useI18n();
  const security = useAccountSecurity();
  const set = useSetAccountSecurity();
  return (
    <Stack gap="xs">
      <Switch
        label={t('admin.users.requireTwoFactor')}
        description={t('admin.users.requireTwoFactorHint')}
        checked={security.data?.requireTwoFactor ?? false}
        disabled={!security.data || set.isPending}
        onChange={(e) => set.mutate({ requireTwoFactor: e.currentTarget.checked })}
        data-testid="require-2fa"
      />
      <Select
        label={t('admin.users.signInPresence')}
        description={t('admin.users.signInPresenceHint')}
        value={security.data?.signInAvailability ?? null}
        disabled={!security.data || set.isPending}
        allowDeselect={false}
        maw={360}
        data={SIGN_IN_AVAILABILITY.map((v) => ({ value: v, label: t(`admin.users.signInPresence.${v}`) }))}
        onChange={(v) => v && set.mutate({ signInAvailability: v as SignInAvailability })}
        comboboxProps={{ withinPortal: true }}
        data-testid="sign-in-presence"
      />
      {set.isError && <ErrorAlert error={set.error} />}
    </Stack>
  );
}
