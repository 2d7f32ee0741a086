import { Button, Group, Modal, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { useContactBulk } from './contacts-api.ts';

/**
 * What to do with the selected contacts: add or remove a label (supervisors and admins) or erase them
 * (admins), after a confirmation that says erasure cannot be undone.
 */
export function ContactBulkBar({
  ids,
  canErase,
  onDone,
}: {
  ids: string[];
  canErase: boolean;
  onDone: (erased: boolean) => void;
}) {
  const { t, fmt } = useI18n();
  const bulk = useContactBulk();
  const [label, setLabel] = useState('');
  const [confirming, setConfirming] = useState(false);
  const n = fmt.number(ids.length);
  const labelAction = (action: 'addLabel' | 'removeLabel') =>
    bulk.mutate({ action, ids, label: label.trim() }, { onSuccess: () => onDone(false) });

  return (
    <Paper withBorder p="xs" data-testid="contacts-bulk">
      <Group gap="xs" wrap="wrap" align="flex-end">
        <Text size="sm" fw={600} data-testid="contacts-bulk-count">
          {t('contacts.bulk.selected', { n })}
        </Text>
        <TextInput
          size="sm"
          label={t('contacts.bulk.label')}
          value={label}
          onChange={(e) => setLabel(e.currentTarget.value)}
          maxLength={64}
          w={180}
          data-testid="contacts-bulk-label"
        />
        <Button
          size="sm"
          disabled={!label.trim()}
          loading={bulk.isPending && bulk.variables?.action === 'addLabel'}
          onClick={() => labelAction('addLabel')}
          data-testid="contacts-bulk-add"
        >
          {t('contacts.bulk.addLabel')}
        </Button>
        <Button
          size="sm"
          variant="default"
          disabled={!label.trim()}
          loading={bulk.isPending && bulk.variables?.action === 'removeLabel'}
          onClick={() => labelAction('removeLabel')}
          data-testid="contacts-bulk-remove"
        >
          {t('contacts.bulk.removeLabel')}
        </Button>
        {canErase && (
          <Button
            size="sm"
            color="red"
            variant="light"
            onClick={() => setConfirming(true)}
            data-testid="contacts-bulk-delete"
          >
            {t('contacts.bulk.delete')}
          </Button>
        )}
        {bulk.data && !bulk.isPending && (
          <Text size="sm" c="dimmed" data-testid="contacts-bulk-result">
            {t('contacts.bulk.done', { changed: bulk.data.changed, unchanged: bulk.data.unchanged })}
          </Text>
        )}
      </Group>
      {bulk.error && <ErrorAlert error={bulk.error} />}
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t('contacts.bulk.confirmTitle', { n })}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack>
          <Text size="sm" data-testid="contacts-bulk-warning">
            {t('contacts.bulk.confirmText')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              loading={bulk.isPending}
              onClick={() =>
                bulk.mutate(
                  { action: 'erase', ids, erase: true },
                  {
                    onSuccess: () => {
                      setConfirming(false);
                      onDone(true);
                    },
                  },
                )
              }
              data-testid="contacts-bulk-confirm"
            >
              {t('contacts.bulk.confirm', { n })}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
