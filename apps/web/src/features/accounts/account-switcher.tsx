import type { MyAccount } from '@switchboard/shared';
import { Button, Group, Menu, Modal, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useMyAccounts, useSwitchAccount } from '../../api/session.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

/**
 * The user menu's "Switch account" items, shown only to a person whose password opened several accounts
 * at sign-in, and the dialog that asks for the code of an account whose user has two-factor sign-in.
 * Two parts because the menu unmounts its items when it closes, and the dialog must outlive that.
 */
export function useAccountSwitcher(): { items: ReactNode; dialog: ReactNode } {
  const { t } = useI18n();
  const accounts = useMyAccounts();
  const switcher = useSwitchAccount();
  const [asking, setAsking] = useState<MyAccount | null>(null);
  const others = (accounts.data ?? []).filter((a) => !a.current);
  const dialog = <SecondFactorModal account={asking} onClose={() => setAsking(null)} />;
  if (others.length === 0) return { items: null, dialog };
  const items = (
    <>
      <Menu.Divider />
      <Menu.Label>{t('accounts.switchTo')}</Menu.Label>
      {others.map((a) => (
        <Menu.Item
          key={a.id}
          onClick={() => (a.twoFactor ? setAsking(a) : switcher.mutate({ accountId: a.id }))}
          data-testid="switch-account"
        >
          {a.name}
        </Menu.Item>
      ))}
    </>
  );
  return {
    items,
    dialog: (
      <>
        {dialog}
        {switcher.isError && (
          <Modal opened onClose={() => switcher.reset()} title={t('accounts.switchTo')}>
            <ErrorAlert error={switcher.error} />
          </Modal>
        )}
      </>
    ),
  };
}

function SecondFactorModal({ account, onClose }: { account: MyAccount | null; onClose: () => void }) {
  const { t } = useI18n();
  const switcher = useSwitchAccount();
  const [code, setCode] = useState('');
  function submit(e: FormEvent) {
    e.preventDefault();
    if (account) switcher.mutate({ accountId: account.id, code: code.replace(/\s/g, '') });
  }
  return (
    <Modal
      opened={account !== null}
      onClose={() => {
        setCode('');
        switcher.reset();
        onClose();
      }}
      title={account ? t('accounts.codeTitle', { name: account.name }) : ''}
    >
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm">{account ? t('accounts.codeHint', { name: account.name }) : ''}</Text>
          <TextInput
            label={t('login.code')}
            autoComplete="one-time-code"
            inputMode="numeric"
            required
            data-autofocus
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            data-testid="switch-code"
          />
          {switcher.isError && <ErrorAlert error={switcher.error} />}
          <Group justify="flex-end">
            <Button type="submit" loading={switcher.isPending}>
              {t('accounts.switch')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
