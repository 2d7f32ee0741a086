import { CONVERSATION_STATUSES, type ConversationStatus } from '@switchboard/shared';
import { Button, Group, Select, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useChannels, useTeams, useUsers } from '../../api/directory.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.ts';
import { activeFilters, type SearchState, searchHref } from './search-route.ts';

const FIELD = { flex: '1 1 150px', minWidth: 140 } as const;

/** The conversation filters the search API takes, as controls; each change is a new URL. */
export function SearchFilters({ state }: { state: SearchState }) {
  const { t } = useI18n();
  const channels = useChannels();
  const users = useUsers();
  const teams = useTeams();
  const set = (patch: Partial<SearchState>) =>
    navigate(searchHref({ ...state, ...patch }), { replace: true });
  // The label is typed: applied on Enter or when the field is left, not on every key.
  const [label, setLabel] = useState(state.label ?? '');
  useEffect(() => setLabel(state.label ?? ''), [state.label]);
  const applyLabel = () => {
    if ((label.trim() || undefined) !== state.label) set({ label: label.trim() || undefined });
  };
  return (
    <Group gap="xs" align="flex-end" wrap="wrap" data-testid="search-filters">
      <Select
        size="xs"
        style={FIELD}
        label={t('inbox.channel')}
        value={state.channel ?? ''}
        allowDeselect={false}
        onChange={(v) => set({ channel: v || undefined })}
        data={[
          { value: '', label: t('inbox.allChannels') },
          ...(channels.data ?? []).map((c) => ({ value: c.id, label: c.name })),
        ]}
        data-testid="search-filter-channel"
      />
      <Select
        size="xs"
        style={FIELD}
        label={t('status.label')}
        value={state.status ?? ''}
        allowDeselect={false}
        onChange={(v) => set({ status: (v || undefined) as ConversationStatus | undefined })}
        data={[
          { value: '', label: t('status.any') },
          ...CONVERSATION_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
        ]}
        data-testid="search-filter-status"
      />
      <Select
        size="xs"
        style={FIELD}
        label={t('search.filter.assignee')}
        value={state.assignee ?? ''}
        allowDeselect={false}
        searchable
        onChange={(v) => set({ assignee: v || undefined })}
        data={[
          { value: '', label: t('search.filter.anyone') },
          { value: 'me', label: t('inbox.you') },
          { value: 'none', label: t('inbox.unassigned') },
          ...(users.data ?? []).map((u) => ({ value: u.id, label: u.name })),
        ]}
        data-testid="search-filter-assignee"
      />
      {(teams.data?.length ?? 0) > 0 && (
        <Select
          size="xs"
          style={FIELD}
          label={t('inbox.team')}
          value={state.team ?? ''}
          allowDeselect={false}
          onChange={(v) => set({ team: v || undefined })}
          data={[
            { value: '', label: t('inbox.allTeams') },
            ...(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name })),
          ]}
          data-testid="search-filter-team"
        />
      )}
      <TextInput
        size="xs"
        style={FIELD}
        label={t('search.filter.label')}
        value={label}
        onChange={(e) => setLabel(e.currentTarget.value)}
        onBlur={applyLabel}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            applyLabel();
          }
        }}
        data-testid="search-filter-label"
      />
      <TextInput
        size="xs"
        type="date"
        style={FIELD}
        label={t('search.filter.from')}
        value={state.from ?? ''}
        max={state.to}
        onChange={(e) => set({ from: e.currentTarget.value || undefined })}
        data-testid="search-filter-from"
      />
      <TextInput
        size="xs"
        type="date"
        style={FIELD}
        label={t('search.filter.to')}
        value={state.to ?? ''}
        min={state.from}
        onChange={(e) => set({ to: e.currentTarget.value || undefined })}
        data-testid="search-filter-to"
      />
      {activeFilters(state) > 0 && (
        <Button
          size="xs"
          variant="subtle"
          onClick={() =>
            set({
              channel: undefined,
              status: undefined,
              assignee: undefined,
              team: undefined,
              label: undefined,
              from: undefined,
              to: undefined,
            })
          }
          data-testid="search-filter-clear"
        >
          {t('search.filter.clear')}
        </Button>
      )}
    </Group>
  );
}
