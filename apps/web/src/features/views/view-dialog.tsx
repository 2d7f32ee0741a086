import type { SavedView } from '@switchboard/shared';
import { Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTeams } from '../../api/directory.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { InboxFilter } from '../inbox/inbox-filter.ts';
import { useViewMutations } from './use-views.ts';
import { viewFiltersOf } from './view-filters.ts';

/**
 * Saves the inbox's current filters as a new view, or renames, re-shares or deletes `view`.
 * Only admins choose a team to share with (the server refuses anyone else).
 */
export function ViewDialog({
  view,
  filter,
  isAdmin,
  onClose,
}: {
  view?: SavedView;
  filter: InboxFilter;
  isAdmin: boolean;
  onClose(): void;
}) {
  const { t } = useI18n();
  const teams = useTeams();
  const { create, update, remove } = useViewMutations();
  const [name, setName] = useState(view?.name ?? '');
  const [team, setTeam] = useState<string | null>(view?.sharedWithTeamId ?? null);
  const busy = create.isPending || update.isPending || remove.isPending;
  const error = create.error ?? update.error ?? remove.error;
  const submit = () => {
    const shared = isAdmin ? { sharedWithTeamId: team } : {};
    if (view) update.mutate({ id: view.id, name: name.trim(), ...shared }, { onSuccess: onClose });
    else
      create.mutate({ name: name.trim(), filters: viewFiltersOf(filter), ...shared }, { onSuccess: onClose });
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={view ? t('views.edit') : t('views.save')}
      data-testid="view-dialog"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          {error && <ErrorAlert error={error} />}
          <TextInput
            label={t('views.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={80}
            required
            data-autofocus
            data-testid="view-name"
          />
          {isAdmin && (
            <Select
              label={t('views.shareWith')}
              placeholder={t('views.onlyMe')}
              clearable
              value={team}
              onChange={setTeam}
              data={(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
              data-testid="view-team"
            />
          )}
          <Group justify="space-between">
            {view ? (
              <Button
                variant="subtle"
                color="red"
                disabled={busy}
                onClick={() => remove.mutate(view.id, { onSuccess: onClose })}
                data-testid="view-delete"
              >
                {t('views.delete')}
              </Button>
            ) : (
              <span />
            )}
            <Button type="submit" loading={busy} disabled={!name.trim()} data-testid="view-submit">
              {t('views.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
