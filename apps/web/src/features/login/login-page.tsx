import type { AccountChoice } from '@switchboard/shared';
import {
  Alert,
  Anchor,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Radio,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { ApiError } from '../../api/http.ts';
import { useLogin, useLoginTwoFactor } from '../../api/session.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { LanguageSwitch } from '../../components/language-switch.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

/** The frame every signed-out screen shares (sign-in, access link). */
export function SignedOutFrame({ children }: { children: ReactNode }) {
  return (
    <Center mih="100%" p="md" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" w="100%" maw={400}>
        {children}
      </Paper>
    </Center>
  );
}

type Step =
  | { kind: 'credentials' }
  | { kind: 'account'; accounts: AccountChoice[] }
  | { kind: 'code'; pendingToken: string };

/**
 * Sign-in in up to three steps: e-mail and password; which account, when that password opens several;
 * the code of the authenticator app (or a recovery code) when two-factor sign-in is on.
 */
export function LoginPage() {
  const { t } = useI18n();
  const login = useLogin();
  const second = useLoginTwoFactor();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [accountId, setAccountId] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState(false);
  const [step, setStep] = useState<Step>({ kind: 'credentials' });
  const [expired, setExpired] = useState(false);

  function signIn(chosen?: string) {
    setExpired(false);
    login.mutate(
      { email: email.trim(), password, ...(chosen ? { accountId: chosen } : {}) },
      {
        onError: (err) => {
          if (!(err instanceof ApiError)) return;
          const details = err.details as { accounts?: AccountChoice[]; pendingToken?: string } | undefined;
          if (err.code === 'account_choice_required' && details?.accounts) {
            setAccountId(details.accounts[0]?.id ?? null);
            setStep({ kind: 'account', accounts: details.accounts });
            login.reset();
          } else if (err.code === 'two_factor_required' && details?.pendingToken) {
            setStep({ kind: 'code', pendingToken: details.pendingToken });
            login.reset();
          }
        },
      },
    );
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (step.kind === 'credentials') signIn();
    else if (step.kind === 'account' && accountId) signIn(accountId);
    else if (step.kind === 'code')
      second.mutate(
        recovery
          ? { pendingToken: step.pendingToken, recoveryCode: code.trim() }
          : { pendingToken: step.pendingToken, code: code.replace(/\s/g, '') },
        {
          // The pending sign-in expired or had too many wrong codes: the password is asked again.
          onError: (err) => {
            if (err instanceof ApiError && err.code === 'invalid_credentials') {
              restart();
              setExpired(true);
            }
          },
        },
      );
  }

  function restart() {
    setStep({ kind: 'credentials' });
    setPassword('');
    setCode('');
    login.reset();
    second.reset();
  }

  return (
    <SignedOutFrame>
      <form onSubmit={submit} aria-labelledby="login-title">
        <Stack>
          <Group justify="space-between" align="flex-start">
            <div>
              <Title order={1} size="h2" id="login-title">
                {t('login.title')}
              </Title>
              <Text c="dimmed" size="sm">
                Switchboard · {t('login.subtitle')}
              </Text>
            </div>
            <LanguageSwitch />
          </Group>
          {step.kind === 'credentials' && (
            <>
              <TextInput
                label={t('login.email')}
                type="email"
                autoComplete="username"
                required
                autoFocus
                value={email}
                onChange={(e) => setEmail(e.currentTarget.value)}
              />
              <PasswordInput
                label={t('login.password')}
                autoComplete="current-password"
                visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }}
                required
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
              />
            </>
          )}
          {step.kind === 'account' && (
            <Radio.Group
              label={t('login.chooseAccount')}
              description={t('login.chooseAccountHint')}
              value={accountId}
              onChange={setAccountId}
              data-testid="account-picker"
            >
              <Stack gap="xs" mt="xs">
                {step.accounts.map((a) => (
                  <Radio key={a.id} value={a.id} label={a.name} />
                ))}
              </Stack>
            </Radio.Group>
          )}
          {step.kind === 'code' && (
            <>
              <Text size="sm">{recovery ? t('login.recoveryHint') : t('login.codeHint')}</Text>
              <TextInput
                label={recovery ? t('login.recoveryCode') : t('login.code')}
                autoComplete="one-time-code"
                inputMode={recovery ? 'text' : 'numeric'}
                required
                autoFocus
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                data-testid="login-code"
              />
              <Anchor
                component="button"
                type="button"
                size="sm"
                onClick={() => {
                  setRecovery((r) => !r);
                  setCode('');
                  second.reset();
                }}
              >
                {recovery ? t('login.useCode') : t('login.useRecovery')}
              </Anchor>
            </>
          )}
          {expired && step.kind === 'credentials' && (
            <Alert color="orange" data-testid="login-expired">
              {t('login.expired')}
            </Alert>
          )}
          {login.isError && <ErrorAlert error={login.error} />}
          {second.isError && <ErrorAlert error={second.error} />}
          <Button type="submit" loading={login.isPending || second.isPending} fullWidth>
            {step.kind === 'credentials' ? t('login.submit') : t('login.continue')}
          </Button>
          {step.kind !== 'credentials' && (
            <Button variant="subtle" onClick={restart}>
              {t('login.startOver')}
            </Button>
          )}
        </Stack>
      </form>
    </SignedOutFrame>
  );
}
