import { Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useLogin } from '../../api/session.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { LanguageSwitch } from '../../components/language-switch.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

export function LoginPage() {
  const { t } = useI18n();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  function submit(e: FormEvent) {
    e.preventDefault();
    login.mutate({ email: email.trim(), password });
  }

  return (
    <Center mih="100%" p="md" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" w="100%" maw={400}>
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
            {login.isError && <ErrorAlert error={login.error} />}
            <Button type="submit" loading={login.isPending} fullWidth>
              {t('login.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
