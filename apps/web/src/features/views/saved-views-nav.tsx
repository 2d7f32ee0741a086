import type { Me, SavedView } from '@switchboard/shared';
import { ActionIcon, Group, NavLink, Text } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { type Location, navigate } from '../../lib/router.ts';
import { inboxFromLocation, inboxHref } from '../inbox/inbox-route.ts';
import { useSavedViews } from './use-views.ts';
import { ViewDialog } from './view-dialog.tsx';
import { viewHref } from './view-filters.ts';

function ViewLink({
  view,
  active,
  canEdit,
  onEdit,
  onNavigate,
}: {
  view: SavedView;
  active: boolean;
  canEdit: boolean;
  onEdit(): void;
  onNavigate(): void;
}) {
  const { t } = useI18n();
  const href = viewHref(view.filters);
  return (
    // Room on the right for the navbar's scrollbar, which would cover the edit button.
    <Group gap={0} wrap="nowrap" pr={12} data-testid="saved-view" data-view-name={view.name}>
      <NavLink
        href={href}
        label={view.name}
        active={active}
        aria-current={active ? 'page' : undefined}
        style={{ flex: 1, minWidth: 0 }}
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          navigate(href);
          onNavigate();
        }}
      />
      {canEdit && (
        <ActionIcon
          variant="subtle"
          color="gray"
          size="sm"
          aria-label={t('views.editNamed', { name: view.name })}
          onClick={onEdit}
          data-testid="saved-view-edit"
        >
          ⋯
        </ActionIcon>
      )}
    </Group>
  );
}

/**
 * The sidebar's "Views": my saved views, then those shared with my teams. "Save view" keeps the inbox's
 * current filters (shown on the inbox only); opening a view is following its inbox URL.
 */
export function SavedViewsNav({ me, loc, onNavigate }: { me: Me; loc: Location; onNavigate(): void }) {
  const { t } = useI18n();
  const views = useSavedViews();
  const [dialog, setDialog] = useState<{ view?: SavedView } | null>(null);
  const onInbox = loc.segments[0] === 'inbox';
  const { filter } = inboxFromLocation(loc);
  const here = onInbox ? inboxHref(filter) : null;
  const isAdmin = me.role === 'admin';
  const items = views.data ?? [];
  const mine = items.filter((v) => v.ownerId === me.user.id);
  const shared = items.filter((v) => v.ownerId !== me.user.id);
  const link = (v: SavedView) => (
    <ViewLink
      key={v.id}
      view={v}
      active={here === viewHref(v.filters)}
      canEdit={isAdmin || v.ownerId === me.user.id}
      onEdit={() => setDialog({ view: v })}
      onNavigate={onNavigate}
    />
  );
  return (
    <>
      <Group justify="space-between" pl="sm" pr={12} pt="sm" pb={4} wrap="nowrap">
        <Text size="xs" fw={700} c="dimmed" tt="uppercase">
          {t('views.title')}
        </Text>
        {onInbox && (
          <ActionIcon
            variant="subtle"
            size="sm"
            aria-label={t('views.save')}
            title={t('views.save')}
            onClick={() => setDialog({})}
            data-testid="view-save"
          >
            +
          </ActionIcon>
        )}
      </Group>
      {views.isSuccess && items.length === 0 && (
        <Text size="xs" c="dimmed" px="sm">
          {t('views.none')}
        </Text>
      )}
      {mine.map(link)}
      {shared.length > 0 && (
        <Text size="xs" c="dimmed" px="sm" pt={4}>
          {t('views.shared')}
        </Text>
      )}
      {shared.map(link)}
      {dialog && (
        <ViewDialog view={dialog.view} filter={filter} isAdmin={isAdmin} onClose={() => setDialog(null)} />
      )}
    </>
  );
}
