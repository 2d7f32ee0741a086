import type { TwoFactorSetup } from '@switchboard/shared';
import {
  Alert,
  Badge,
  Button,
  CopyButton,
  Group,
  Image,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import {
  useFinishEnrolment,
  useTwoFactorConfirm,
  useTwoFactorDisable,
  useTwoFactorSetup,
  useTwoFactorStatus,
} from '../../api/security.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { SecretField } from '../../components/secret-field.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

/** The ten recovery codes, shown once, with one button copying them all. */
function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <Stack data-testid="recovery-codes">
      <Alert color="yellow">{t('security.recoveryShowOnce')}</Alert>
      <SimpleGrid cols={2} spacing="xs">
        {codes.map((c) => (
          <Text key={c} ff="monospace" size="sm" data-testid="recovery-code">
            {c}
          </Text>
        ))}
      </SimpleGrid>
      <Group justify="space-between">
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button variant="light" onClick={copy}>
              {copied ? t('common.copied') : t('security.copyCodes')}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone} data-testid="recovery-done">
          {t('security.savedCodes')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Enrolment: scan the QR code (or type the secret), confirm with a code, keep the recovery codes. */
export function TwoFactorEnrol({ onEnrolled }: { onEnrolled?: () => void }) {
  const { t } = useI18n();
  const setup = useTwoFactorSetup();
  const confirm = useTwoFactorConfirm();
  const finish = useFinishEnrolment();
  const [pending, setPending] = useState<TwoFactorSetup | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);

  if (codes)
    return (
      <RecoveryCodes
        codes={codes}
        onDone={() => {
          setCodes(null);
          void finish();
          onEnrolled?.();
        }}
      />
    );
  if (!pending)
    return (
      <Stack align="flex-start">
        <Text size="sm">{t('security.enrolIntro')}</Text>
        {setup.isError && <ErrorAlert error={setup.error} />}
        <Button
          loading={setup.isPending}
          onClick={() => setup.mutate(undefined, { onSuccess: setPending })}
          data-testid="enrol-2fa"
        >
          {t('security.enrol')}
        </Button>
      </Stack>
    );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate(code.replace(/\s/g, ''), { onSuccess: (r) => setCodes(r.recoveryCodes) });
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <Text size="sm">{t('security.scan')}</Text>
        <Image src={pending.qrDataUrl} w={220} h={220} alt={t('security.qrAlt')} data-testid="totp-qr" />
        <SecretField label={t('security.secret')} value={pending.secret} testId="totp-secret" />
        <TextInput
          label={t('security.confirmCode')}
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          data-testid="totp-confirm-code"
        />
        {confirm.isError && <ErrorAlert error={confirm.error} />}
        <Group justify="flex-end">
          <Button type="submit" loading={confirm.isPending}>
            {t('security.confirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function TwoFactorDisable() {
  const { t } = useI18n();
  const disable = useTwoFactorDisable();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    disable.mutate({ password, code: code.trim() });
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <Text size="sm">{t('security.disableIntro')}</Text>
        <Group grow align="flex-start">
          <PasswordInput
            label={t('login.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }}
          />
          <TextInput
            label={t('security.codeOrRecovery')}
            autoComplete="one-time-code"
            required
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
          />
        </Group>
        {disable.isError && <ErrorAlert error={disable.error} />}
        <Group justify="flex-end">
          <Button color="red" variant="light" type="submit" loading={disable.isPending}>
            {t('security.disable')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Status of my two-factor sign-in, with enrol or disable. */
export function TwoFactorPanel() {
  const { t } = useI18n();
  const status = useTwoFactorStatus();
  if (status.isError) return <ErrorAlert error={status.error} onRetry={() => void status.refetch()} />;
  if (!status.data) return null;
  const s = status.data;
  return (
    <Stack>
      <Group gap="xs">
        <Badge color={s.enabled ? 'green' : 'gray'} variant="light" data-testid="2fa-status">
          {s.enabled ? t('security.on') : t('security.off')}
        </Badge>
        {s.enabled && (
          <Text size="sm" c="dimmed">
            {t('security.codesLeft', { n: s.recoveryCodesLeft })}
          </Text>
        )}
      </Group>
      {s.requiredByAccount && !s.enabled && <Alert color="orange">{t('security.requiredByAccount')}</Alert>}
      {s.enabled ? <TwoFactorDisable /> : <TwoFactorEnrol />}
    </Stack>
  );
}
