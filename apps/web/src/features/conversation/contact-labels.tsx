import { ActionIcon, Autocomplete, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { del, get, post, qs } from '../../api/http.ts';
import type { Contact } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { applyContact } from '../../realtime/live-provider.tsx';

/** A contact's labels: shown as badges, removed with their ×, added with suggestions from labels in use. */
export function ContactLabels({ contact }: { contact: Contact }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [text, setText] = useState('');
  const [query] = useDebouncedValue(text.trim(), 200);
  const suggestions = useQuery({
    queryKey: ['contact-labels', query],
    queryFn: () =>
      get<{ items: { label: string; count: number }[] }>(
        `/api/v1/contacts/labels${qs({ q: query, limit: 10 })}`,
      ),
    staleTime: 30_000,
  });
  const base = `/api/v1/contacts/${encodeURIComponent(contact.id)}/labels`;
  const onChanged = (c: Contact) => {
    applyContact(qc, c);
    void qc.invalidateQueries({ queryKey: ['contact-labels'] });
  };
  const add = useMutation({
    mutationFn: (label: string) => post<Contact>(base, { label }),
    onSuccess: (c) => {
      onChanged(c);
      setText('');
    },
  });
  const remove = useMutation({
    mutationFn: (label: string) => del<Contact>(`${base}/${encodeURIComponent(label)}`),
    onSuccess: onChanged,
  });
  const submit = (value: string) => {
    const label = value.trim();
    if (label && !contact.labels.includes(label)) add.mutate(label);
    else setText('');
  };
  const options = (suggestions.data?.items ?? [])
    .map((s) => s.label)
    .filter((l) => !contact.labels.includes(l));

  return (
    <Stack gap={6}>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" id="contact-labels-title">
        {t('contact.labels')}
      </Text>
      <Group gap={6} aria-labelledby="contact-labels-title" role="list" data-testid="contact-labels">
        {contact.labels.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('contact.labelsNone')}
          </Text>
        )}
        {contact.labels.map((l) => (
          <Badge
            key={l}
            role="listitem"
            variant="light"
            style={{ textTransform: 'none' }}
            data-testid="contact-label"
            rightSection={
              <ActionIcon
                size="xs"
                variant="transparent"
                onClick={() => remove.mutate(l)}
                aria-label={t('contact.labelRemove', { label: l })}
                title={t('contact.labelRemove', { label: l })}
                data-testid="contact-label-remove"
              >
                ×
              </ActionIcon>
            }
          >
            <span data-testid="contact-label-text">{l}</span>
          </Badge>
        ))}
      </Group>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit(text);
        }}
      >
        <Group gap={6} wrap="nowrap" align="flex-end">
          <Autocomplete
            size="xs"
            style={{ flex: 1, minWidth: 0 }}
            label={t('contact.labelAdd')}
            placeholder={t('contact.labelPlaceholder')}
            value={text}
            onChange={setText}
            onOptionSubmit={submit}
            data={options}
            maxLength={64}
            comboboxProps={{ withinPortal: false }}
            data-testid="contact-label-input"
          />
          <Button
            type="submit"
            size="xs"
            variant="default"
            loading={add.isPending}
            disabled={!text.trim()}
            data-testid="contact-label-add"
          >
            {t('contact.labelAddButton')}
          </Button>
        </Group>
      </form>
      {(add.isError || remove.isError) && <ErrorAlert error={add.error ?? remove.error} />}
    </Stack>
  );
}
