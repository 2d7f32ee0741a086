import { Alert, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, del, get, post } from '../../api/http.ts';
import type { ApiToken } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { SecretField } from '../../components/secret-field.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

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
  const [fresh, setFresh] = useState<(ApiToken & { token: string }) | null>(null);
  const create = useMutation({
    mutationFn: () => post<ApiToken & { token: string }>('/api/v1/tokens', { name: name.trim() }),
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
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate();
  };

  return (
    <Stack maw={900}>
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
              style={{ flex: 1 }}
            />
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
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
            <SecretField label={t('admin.tokens.title')} value={fresh.token} />
          </Stack>
        </Alert>
      )}
      {tokens.data?.length === 0 && <Text c="dimmed">{t('admin.tokens.empty')}</Text>}
      {tokens.data && tokens.data.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.tokens.name')}</Table.Th>
                <Table.Th>{t('admin.tokens.prefix')}</Table.Th>
                <Table.Th>{t('admin.tokens.owner')}</Table.Th>
                <Table.Th>{t('admin.tokens.created')}</Table.Th>
                <Table.Th>{t('admin.tokens.lastUsed')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.map((tok) => (
                <Table.Tr key={tok.id}>
                  <Table.Td>{tok.name}</Table.Td>
                  <Table.Td>
                    <Text ff="monospace" size="sm">
                      {tok.prefix}…
                    </Text>
                  </Table.Td>
                  <Table.Td>{tok.user.name}</Table.Td>
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
