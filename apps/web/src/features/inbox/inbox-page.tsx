import { CONVERSATION_STATUSES } from '@switchboard/shared';
import { Box, Center, Group, Select, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type ReactNode, useCallback } from 'react';
import { useChannels, useTeams } from '../../api/directory.ts';
import type { Me } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.ts';
import { ConversationView } from '../conversation/conversation-view.tsx';
import { ConversationList } from './conversation-list.tsx';
import { DensityToggle } from './density-toggle.tsx';
import { ExportButton } from './export-dialog.tsx';
import { ExtraFilters } from './extra-filters.tsx';
import { INBOX_SORTS, type InboxFilter } from './inbox-filter.ts';
import { inboxHref } from './inbox-route.ts';
import { useConversationList } from './use-conversations.ts';
import { useConversationCounts } from './use-counts.ts';
import { useKeys } from '../../layout/shortcuts-help.tsx';

/**
 * An option with what choosing it would list (the server's exact count under the other filters and
 * the current view). The count is its own element after the label, so the option's name starts with it.
 */
const optionWithCount =
  (count: (value: string) => number | undefined) =>
  ({ option }: { option: { value: string; label: string } }): ReactNode => (
    <CountedOption label={option.label} count={count(option.value)} />
  );

function CountedOption({ label, count }: { label: string; count: number | undefined }) {
  const { t, fmt } = useI18n();
  return (
    <Group gap="xs" wrap="nowrap" justify="space-between" style={{ flex: 1, minWidth: 0 }}>
      <Text size="xs" truncate>
        {label}
      </Text>
      {count !== undefined && (
        <Text
          size="xs"
          c="dimmed"
          title={t('inbox.optionCount', { count })}
          data-testid="option-count"
          style={{ flexShrink: 0, fontVariantNumeric: 'tabular-nums' }}
        >
          {fmt.number(count)}
        </Text>
      )}
    </Group>
  );
}

const sum = (xs: { count: number }[]) => xs.reduce((n, x) => n + x.count, 0);

function FilterBar({ filter }: { filter: InboxFilter }) {
  const { t } = useI18n();
  const channels = useChannels();
  const teams = useTeams();
  const counts = useConversationCounts(filter, true).data;
  const set = (patch: Partial<InboxFilter>) => navigate(inboxHref({ ...filter, ...patch }));
  const statusCount = (v: string) =>
    !counts
      ? undefined
      : v === 'any'
        ? Object.values(counts.statuses).reduce((n, x) => n + x, 0)
        : (counts.statuses[v as keyof typeof counts.statuses] ?? 0);
  const channelCount = (v: string) =>
    !counts
      ? undefined
      : v === ''
        ? sum(counts.channels)
        : (counts.channels.find((c) => c.channelId === v)?.count ?? 0);
  const teamCount = (v: string) =>
    !counts
      ? undefined
      : v === ''
        ? sum(counts.teams)
        : (counts.teams.find((c) => c.teamId === v)?.count ?? 0);
  return (
    // Filters wrap onto a second line rather than cut their labels ("Все каналы" needs the room).
    <Group gap="xs" p="xs" wrap="wrap" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
      <Select
        size="xs"
        style={{ flex: '1 1 120px', minWidth: 120 }}
        aria-label={t('status.label')}
        value={filter.status}
        allowDeselect={false}
        onChange={(v) => v && set({ status: v as InboxFilter['status'] })}
        data={[
          ...CONVERSATION_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
          { value: 'any', label: t('status.any') },
        ]}
        renderOption={optionWithCount(statusCount)}
        data-testid="status-filter"
      />
      <Select
        size="xs"
        style={{ flex: '1 1 120px', minWidth: 120 }}
        aria-label={t('inbox.channel')}
        value={filter.channel ?? ''}
        allowDeselect={false}
        onChange={(v) => set({ channel: v || undefined })}
        renderOption={optionWithCount(channelCount)}
        data={[
          { value: '', label: t('inbox.allChannels') },
          ...(channels.data ?? []).map((c) => ({ value: c.id, label: c.name })),
        ]}
      />
      {teams.data && teams.data.length > 0 && (
        <Select
          size="xs"
          style={{ flex: '1 1 120px', minWidth: 120 }}
          aria-label={t('inbox.team')}
          value={filter.team ?? ''}
          allowDeselect={false}
          onChange={(v) => set({ team: v || undefined })}
          renderOption={optionWithCount(teamCount)}
          data={[
            { value: '', label: t('inbox.allTeams') },
            ...teams.data.map((tm) => ({ value: tm.id, label: tm.name })),
          ]}
        />
      )}
      <Select
        size="xs"
        style={{ flex: '1 1 120px', minWidth: 120 }}
        aria-label={t('inbox.sort')}
        value={filter.sort ?? 'activity'}
        allowDeselect={false}
        onChange={(v) => set({ sort: !v || v === 'activity' ? undefined : (v as InboxFilter['sort']) })}
        data={INBOX_SORTS.map((v) => ({ value: v, label: t(`inbox.sort.${v}`) }))}
        data-testid="sort-select"
      />
      <ExtraFilters filter={filter} set={set} />
      <ExportButton filter={filter} />
      <DensityToggle />
    </Group>
  );
}

/**
 * Inbox: the list on the left and the open conversation on the right; on a phone one at a time
 * (the conversation has a back button).
 */
export function InboxPage({
  me,
  filter,
  conversationId,
  focusMessageId,
}: {
  me: Me;
  filter: InboxFilter;
  conversationId?: string;
  focusMessageId?: string;
}) {
  const { t } = useI18n();
  const wide = useMediaQuery('(min-width: 62em)', true);
  const open = useCallback((id: string) => navigate(inboxHref(filter, id)), [filter]);
  const hrefFor = useCallback((id: string) => inboxHref(filter, id), [filter]);
  const back = useCallback(() => navigate(inboxHref(filter)), [filter]);
  const list = useConversationList(filter);
  const step = (by: number) => {
    const items = list.data?.pages.flatMap((p) => p.items) ?? [];
    if (!items.length) return;
    const at = items.findIndex((c) => c.id === conversationId);
    const next = items[at < 0 ? 0 : Math.min(Math.max(at + by, 0), items.length - 1)];
    if (next) open(next.id);
  };
  useKeys({ j: () => step(1), k: () => step(-1) });
  const showList = wide || !conversationId;
  const showConversation = wide || conversationId !== undefined;

  return (
    <Box style={{ display: 'flex', flex: 1, minHeight: 0 }}>
      {showList && (
        <Box
          component="section"
          aria-label={t('inbox.conversations')}
          style={{
            // A wide screen gives the list more room (names, channel, badges), never less than 340 px.
            width: wide ? 'clamp(340px, 26vw, 460px)' : '100%',
            flexShrink: 0,
            display: 'flex',
            flexDirection: 'column',
            borderRight: wide ? '1px solid var(--mantine-color-gray-3)' : undefined,
          }}
        >
          <FilterBar filter={filter} />
          <ConversationList
            filter={filter}
            meId={me.user.id}
            activeId={conversationId}
            hrefFor={hrefFor}
            onOpen={open}
          />
        </Box>
      )}
      {showConversation && (
        <Box component="section" style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>
          {conversationId ? (
            <ConversationView
              key={conversationId}
              id={conversationId}
              me={me}
              onBack={wide ? undefined : back}
              onLeave={back}
              focusMessageId={focusMessageId}
            />
          ) : (
            <Center flex={1}>
              <Text c="dimmed">{t('conv.select')}</Text>
            </Center>
          )}
        </Box>
      )}
    </Box>
  );
}
