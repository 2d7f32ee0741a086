import { Alert, Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { CreateApiTokenBody, CreatedApiToken, TokenScope } from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, del, get, post } from '../../api/http.ts';
import type { ApiToken } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { SecretField } from '../../components/secret-field.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { type Expiry, expiryOf } from './token-expiry.ts';

/** API tokens: the new token is shown once, right after creation; the list only shows its prefix. */
export function TokensPage() {
  const { t, fmt } = useI18n();
  const qc = useQueryClient();
  const tokens = useQuery({
    queryKey: ['tokens'],
    queryFn: () => get<{ items: ApiToken[] }>('/api/v1/tokens').then((r) => r.items),
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 2,
  });
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TokenScope>('write');
  const [expiry, setExpiry] = useState<Expiry>('never');
  const [date, setDate] = useState('');
  const [fresh, setFresh] = useState<CreatedApiToken | null>(null);
  const expiresAt = expiryOf(expiry, date);
  const create = useMutation({
    mutationFn: (body: CreateApiTokenBody) => post<CreatedApiToken>('/api/v1/tokens', body),
    onSuccess: (tok) => {
      setName('');
      setFresh(tok);
      void qc.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => del(`/api/v1/tokens/${encodeURIComponent(id)}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['tokens'] }),
  });
  const ready = name.trim() !== '' && expiresAt !== undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // Recomputed at the click: "30 days" counts from now, not from when the page was opened.
    const at = expiryOf(expiry, date);
    if (name.trim() && at !== undefined) create.mutate({ name: name.trim(), scope, expiresAt: at });
  };

  return (
    <Stack maw={1000}>
      <Title order={1} size="h3">
        {t('admin.tokens.title')}
      </Title>
      {tokens.isError ? (
        <ErrorAlert error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : (
        <form onSubmit={submit}>
          <Group align="flex-end">
            <TextInput
              label={t('admin.tokens.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              style={{ flex: 1, minWidth: 180 }}
            />
            <Select
              label={t('admin.tokens.scope')}
              value={scope}
              onChange={(v) => v && setScope(v as TokenScope)}
              allowDeselect={false}
              data={[
                { value: 'write', label: t('admin.tokens.scope.write') },
                { value: 'read', label: t('admin.tokens.scope.read') },
              ]}
              w={170}
              data-testid="token-scope"
            />
            <Select
              label={t('admin.tokens.expires')}
              value={expiry}
              onChange={(v) => v && setExpiry(v as Expiry)}
              allowDeselect={false}
              data={[
                { value: 'never', label: t('admin.tokens.expiry.never') },
                { value: '30', label: t('admin.tokens.expiry.days', { n: 30 }) },
                { value: '90', label: t('admin.tokens.expiry.days', { n: 90 }) },
                { value: 'date', label: t('admin.tokens.expiry.date') },
              ]}
              w={170}
              data-testid="token-expiry"
            />
            {expiry === 'date' && (
              <TextInput
                type="date"
                label={t('admin.tokens.expiryDate')}
                value={date}
                onChange={(e) => setDate(e.currentTarget.value)}
                error={date && expiresAt === undefined ? t('admin.tokens.expiryPast') : undefined}
                data-testid="token-expiry-date"
              />
            )}
            <Button type="submit" loading={create.isPending} disabled={!ready}>
              {t('admin.tokens.new')}
            </Button>
          </Group>
        </form>
      )}
      {create.isError && <ErrorAlert error={create.error} />}
      {revoke.isError && <ErrorAlert error={revoke.error} />}
      {fresh && (
        <Alert color="green" title={fresh.name} withCloseButton onClose={() => setFresh(null)}>
          <Stack gap="xs">
            <Text size="sm">{t('admin.tokens.showOnce')}</Text>
            <SecretField label={t('admin.tokens.title')} value={fresh.token} testId="new-token" />
          </Stack>
        </Alert>
      )}
      {tokens.data?.length === 0 && <Text c="dimmed">{t('admin.tokens.empty')}</Text>}
      {tokens.data && tokens.data.length > 0 && (
        <Table.ScrollContainer minWidth={820}>
          <Table striped verticalSpacing="xs" data-testid="tokens">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.tokens.name')}</Table.Th>
                <Table.Th>{t('admin.tokens.prefix')}</Table.Th>
                <Table.Th>{t('admin.tokens.owner')}</Table.Th>
                <Table.Th>{t('admin.tokens.scope')}</Table.Th>
                <Table.Th>{t('admin.tokens.expires')}</Table.Th>
                <Table.Th>{t('admin.tokens.created')}</Table.Th>
                <Table.Th>{t('admin.tokens.lastUsed')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.map((tok) => (
                <Table.Tr key={tok.id} data-token-id={tok.id}>
                  <Table.Td>
                    <bdi>{tok.name}</bdi>
                  </Table.Td>
                  <Table.Td>
                    <Text ff="monospace" size="sm">
                      {tok.prefix}…
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <bdi>{tok.user.name}</bdi>
                  </Table.Td>
                  <Table.Td data-testid="token-scope-cell">
                    <Badge variant="light" color={tok.scope === 'read' ? 'gray' : 'blue'}>
                      {t(`admin.tokens.scope.${tok.scope}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td data-testid="token-expires-cell" style={{ whiteSpace: 'nowrap' }}>
                    {tok.expiresAt === null ? t('admin.tokens.expiry.never') : fmt.dateTime(tok.expiresAt)}
                    {tok.expired && (
                      <Badge ml="xs" color="red" variant="light">
                        {t('admin.tokens.expired')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{fmt.dateTime(tok.createdAt)}</Table.Td>
                  <Table.Td>{tok.lastUsedAt ? fmt.dateTime(tok.lastUsedAt) : t('common.never')}</Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      color="red"
                      variant="light"
                      onClick={() => revoke.mutate(tok.id)}
                    >
                      {t('admin.tokens.revoke')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
