import { Button, Group, MultiSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTeams, useUsers } from '../../api/directory.ts';
import { del, post, put } from '../../api/http.ts';
import type { Team } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

/** Teams and their members (conversations and channels can belong to a team). */
export function TeamsPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const teams = useTeams();
  const users = useUsers();
  const [name, setName] = useState('');
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['teams'] });
    void qc.invalidateQueries({ queryKey: ['users'] });
  };
  const create = useMutation({
    mutationFn: () => post<Team>('/api/v1/teams', { name: name.trim() }),
    onSuccess: () => {
      setName('');
      refresh();
    },
  });
  const members = useMutation({
    mutationFn: ({ id, userIds }: { id: string; userIds: string[] }) =>
      put<Team>(`/api/v1/teams/${encodeURIComponent(id)}/members`, { userIds }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/api/v1/teams/${encodeURIComponent(id)}`),
    onSuccess: refresh,
  });
  const userOptions = (users.data ?? []).map((u) => ({ value: u.id, label: u.name }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate();
  };

  return (
    <Stack maw={900}>
      <Title order={1} size="h3">
        {t('admin.teams.title')}
      </Title>
      {teams.isError ? (
        <ErrorAlert error={teams.error} onRetry={() => void teams.refetch()} />
      ) : (
        <form onSubmit={submit}>
          <Group align="flex-end">
            <TextInput
              label={t('admin.teams.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              style={{ flex: 1 }}
              data-testid="team-name"
            />
            <Button
              type="submit"
              loading={create.isPending}
              disabled={!name.trim()}
              data-testid="team-create"
            >
              {t('admin.teams.new')}
            </Button>
          </Group>
        </form>
      )}
      {create.isError && <ErrorAlert error={create.error} />}
      {members.isError && <ErrorAlert error={members.error} />}
      {remove.isError && <ErrorAlert error={remove.error} />}
      {teams.data?.length === 0 && <Text c="dimmed">{t('admin.teams.empty')}</Text>}
      {teams.data?.map((team) => (
        <Paper key={team.id} withBorder p="md" data-testid="team-card">
          <Stack gap="xs">
            <Group justify="space-between">
              <Text fw={600}>{team.name}</Text>
              <Button size="compact-xs" variant="subtle" color="red" onClick={() => remove.mutate(team.id)}>
                {t('admin.teams.delete')}
              </Button>
            </Group>
            <MultiSelect
              label={t('admin.teams.members')}
              data={userOptions}
              value={team.memberIds}
              searchable
              onChange={(userIds) => members.mutate({ id: team.id, userIds })}
            />
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
