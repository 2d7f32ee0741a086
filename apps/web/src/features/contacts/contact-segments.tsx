import { ActionIcon, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import {
  type ContactFilter,
  type SegmentDto,
  activeFilter,
  useDeleteSegment,
  useSaveSegment,
  useSegments,
  useUpdateSegment,
} from './contacts-api.ts';

/**
 * Open a saved segment (its filter replaces the current one) or save the current filter as one
 * (supervisors and admins; everyone may open them).
 */
export function ContactSegments({
  filter,
  current,
  onOpen,
  canEdit,
}: {
  filter: ContactFilter;
  current: string | null;
  onOpen: (s: SegmentDto | null) => void;
  canEdit: boolean;
}) {
  const { t } = useI18n();
  const segments = useSegments();
  const save = useSaveSegment();
  const update = useUpdateSegment();
  const remove = useDeleteSegment();
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<SegmentDto | null>(null);
  const items = segments.data ?? [];
  const selected = items.find((s) => s.id === current) ?? null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      { name: name.trim(), filter: activeFilter(filter) },
      {
        onSuccess: (s) => {
          setSaved(s);
          setNaming(false);
          setName('');
          onOpen(s);
        },
      },
    );
  };

  return (
    <Group gap="xs" wrap="wrap" align="flex-end">
      <Select
        label={t('contacts.segment')}
        placeholder={t('contacts.segmentNone')}
        data={items.map((s) => ({ value: s.id, label: s.name }))}
        value={current}
        onChange={(id) => {
          setSaved(null);
          onOpen(items.find((s) => s.id === id) ?? null);
        }}
        clearable
        searchable
        w={220}
        data-testid="contacts-segment"
      />
      {canEdit && (
        <Button
          size="sm"
          variant="default"
          onClick={() => setNaming(true)}
          data-testid="contacts-segment-save"
        >
          {t('contacts.segment.save')}
        </Button>
      )}
      {canEdit && selected && (
        <>
          <Button
            size="sm"
            variant="default"
            loading={update.isPending}
            onClick={() => update.mutate({ id: selected.id, filter: activeFilter(filter) })}
            data-testid="contacts-segment-update"
          >
            {t('contacts.segment.update')}
          </Button>
          <ActionIcon
            variant="subtle"
            color="red"
            size="lg"
            aria-label={t('contacts.segment.delete')}
            title={t('contacts.segment.delete')}
            onClick={() => remove.mutate(selected.id, { onSuccess: () => onOpen(null) })}
            data-testid="contacts-segment-delete"
          >
            ×
          </ActionIcon>
        </>
      )}
      {saved && (
        <Text size="sm" c="dimmed" data-testid="contacts-segment-saved">
          {t('contacts.segment.saved', { name: saved.name, n: saved.count ?? 0 })}
        </Text>
      )}
      {(update.error ?? remove.error) && <ErrorAlert error={update.error ?? remove.error} />}
      <Modal
        opened={naming}
        onClose={() => setNaming(false)}
        title={t('contacts.segment.save')}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <form onSubmit={submit}>
          <Stack>
            <TextInput
              label={t('contacts.segment.name')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              maxLength={100}
              required
              data-autofocus
              data-testid="contacts-segment-name"
            />
            {save.error && <ErrorAlert error={save.error} />}
            <Button
              type="submit"
              loading={save.isPending}
              disabled={!name.trim()}
              data-testid="contacts-segment-submit"
            >
              {t('contacts.segment.save')}
            </Button>
          </Stack>
        </form>
      </Modal>
    </Group>
  );
}
