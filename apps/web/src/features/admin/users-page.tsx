import { ROLES, type Role } from '@switchboard/shared';
import {
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTeams, useUsers } from '../../api/directory.ts';
import { patch, post, put } from '../../api/http.ts';
import type { Me, Team, User } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { PresenceDot } from '../presence/presence-select.tsx';
import { RequireTwoFactorSwitch, ResetAccess } from './reset-access.tsx';

function CreateUser({ onDone }: { onDone(): void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [capacity, setCapacity] = useState<number>(10);
  const create = useMutation({
    mutationFn: () =>
      post<User>('/api/v1/users', {
        email: email.trim(),
        name: name.trim() || undefined,
        password,
        role,
        capacity,
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['users'] });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput
          label={t('admin.users.email')}
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        <TextInput
          label={t('admin.users.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <PasswordInput
          label={t('admin.users.password')}
          description={t('admin.users.passwordHint')}
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          autoComplete="new-password"
          visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }}
        />
        <Select
          label={t('admin.users.role')}
          value={role}
          allowDeselect={false}
          onChange={(v) => v && setRole(v as Role)}
          data={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        />
        <NumberInput
          label={t('admin.users.capacity')}
          min={0}
          max={1000}
          value={capacity}
          onChange={(v) => setCapacity(Number(v) || 0)}
        />
        {create.isError && <ErrorAlert error={create.error} />}
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending}>
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Operators of the account: role, capacity, presence, teams; add and deactivate. */
export function UsersPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const users = useUsers();
  const teams = useTeams();
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: Partial<Pick<User, 'role' | 'capacity' | 'active'>> }) =>
      patch<User>(`/api/v1/users/${encodeURIComponent(id)}`, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['users'] }),
  });
  // Team membership lives on the team (PUT its member list): change each team the user joins or leaves.
  const setTeams = useMutation({
    mutationFn: async ({ user, teamIds }: { user: User; teamIds: string[] }) => {
      for (const team of teams.data ?? []) {
        const was = team.memberIds.includes(user.id);
        const now = teamIds.includes(team.id);
        if (was === now) continue;
        const userIds = now ? [...team.memberIds, user.id] : team.memberIds.filter((id) => id !== user.id);
        await put<Team>(`/api/v1/teams/${encodeURIComponent(team.id)}/members`, { userIds });
      }
    },
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['teams'] });
      void qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const teamName = new Map((teams.data ?? []).map((tm) => [tm.id, tm.name]));

  return (
    <Stack maw={1100}>
      <Group justify="space-between">
        <Title order={1} size="h3">
          {t('admin.users.title')}
        </Title>
        <Button onClick={() => setCreating(true)} disabled={users.isError}>
          {t('admin.users.new')}
        </Button>
      </Group>
      <RequireTwoFactorSwitch />
      {users.isError && <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />}
      {update.isError && <ErrorAlert error={update.error} />}
      {setTeams.isError && <ErrorAlert error={setTeams.error} />}
      {users.data && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.users.name')}</Table.Th>
                <Table.Th>{t('admin.users.role')}</Table.Th>
                <Table.Th>{t('admin.users.capacity')}</Table.Th>
                <Table.Th>{t('admin.users.teams')}</Table.Th>
                <Table.Th>{t('admin.users.presence')}</Table.Th>
                <Table.Th>{t('admin.users.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.map((u) => (
                <Table.Tr key={u.id} data-testid="user-row">
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {u.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {u.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      w={160}
                      aria-label={t('admin.users.role')}
                      value={u.role}
                      allowDeselect={false}
                      disabled={u.id === me.user.id}
                      onChange={(v) => v && update.mutate({ id: u.id, body: { role: v as Role } })}
                      data={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      size="xs"
                      w={80}
                      aria-label={t('admin.users.capacity')}
                      min={0}
                      max={1000}
                      defaultValue={u.capacity}
                      onBlur={(e) => {
                        const v = Number(e.currentTarget.value);
                        if (Number.isInteger(v) && v !== u.capacity)
                          update.mutate({ id: u.id, body: { capacity: v } });
                      }}
                    />
                  </Table.Td>
                  <Table.Td>
                    {teams.data && teams.data.length > 0 ? (
                      <MultiSelect
                        size="xs"
                        w={200}
                        aria-label={t('admin.users.teams')}
                        data={teams.data.map((tm) => ({ value: tm.id, label: tm.name }))}
                        value={u.teamIds}
                        onChange={(ids) => setTeams.mutate({ user: u, teamIds: ids })}
                        disabled={setTeams.isPending}
                        searchable
                        data-testid="user-teams"
                      />
                    ) : (
                      <Group gap={4}>
                        {u.teamIds.map((id) => (
                          <Badge key={id} size="xs" variant="outline" style={{ textTransform: 'none' }}>
                            {teamName.get(id) ?? '…'}
                          </Badge>
                        ))}
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <PresenceDot value={u.availability} />
                      <Text size="xs">{t(`presence.${u.availability}`)}</Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Badge color={u.active ? 'green' : 'gray'} variant="light">
                        {u.active ? t('admin.users.active') : t('admin.users.deactivated')}
                      </Badge>
                      {u.id !== me.user.id && (
                        <Button
                          size="compact-xs"
                          variant="default"
                          onClick={() => update.mutate({ id: u.id, body: { active: !u.active } })}
                        >
                          {u.active ? t('admin.users.deactivate') : t('admin.users.reactivate')}
                        </Button>
                      )}
                      {u.id !== me.user.id && (
                        <Button
                          size="compact-xs"
                          variant="default"
                          onClick={() => setResetting(u)}
                          data-testid="reset-access"
                        >
                          {t('admin.users.resetAccess')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        title={t('admin.users.new')}
        centered
      >
        <CreateUser onDone={() => setCreating(false)} />
      </Modal>
      <Modal
        opened={resetting !== null}
        onClose={() => setResetting(null)}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        title={t('admin.users.resetAccessOf', { name: resetting?.name ?? '' })}
        centered
      >
        {resetting && <ResetAccess user={resetting} />}
      </Modal>
    </Stack>
  );
}
