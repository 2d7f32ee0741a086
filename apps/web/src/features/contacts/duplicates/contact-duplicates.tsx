import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import type { ContactDuplicates as Duplicates } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../../api/http.ts';
import { useMe } from '../../../api/session.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useI18n } from '../../../i18n/i18n.tsx';
import { MergeDialog } from './merge-dialog.tsx';

/**
 * The contact panel's merge suggestions: other contacts with the same phone (E.164) or e-mail, each with
 * a Merge action for supervisors that keeps the contact the panel shows. Hidden when there are none.
 */
export function ContactDuplicates({ contactId }: { contactId: string }) {
  const { t } = useI18n();
  const me = useMe().data;
  const canMerge = me?.role === 'admin' || me?.role === 'supervisor';
  const [other, setOther] = useState<string | null>(null);
  const dups = useQuery({
    queryKey: ['contact-duplicates', contactId],
    queryFn: () => get<Duplicates>(`/api/v1/contacts/${encodeURIComponent(contactId)}/duplicates`),
  });
  if (dups.isError) return <ErrorAlert error={dups.error} />;
  const items = dups.data?.items ?? [];
  if (!items.length) return null;
  return (
    <Stack gap={4} data-testid="contact-duplicates">
      <Text size="xs" fw={700} c="orange" tt="uppercase">
        {t('dup.title')}
      </Text>
      {items.map(({ contact, reasons }) => (
        <Group
          key={contact.id}
          justify="space-between"
          wrap="nowrap"
          gap="xs"
          data-testid="contact-duplicate"
        >
          <Stack gap={0} miw={0}>
            <Text size="sm" fw={600} className="sb-text" truncate>
              {contact.name ?? t('dup.unnamed')}
            </Text>
            <Group gap={4}>
              {reasons.map((r) => (
                <Badge key={r} size="xs" variant="light" color="orange" style={{ textTransform: 'none' }}>
                  {t(`dup.reason.${r}`)}
                </Badge>
              ))}
              <Text size="xs" c="dimmed" className="sb-text">
                {[contact.phone, contact.email].filter(Boolean).join(' · ')}
              </Text>
            </Group>
          </Stack>
          {canMerge && (
            <Button
              size="compact-xs"
              variant="light"
              color="orange"
              onClick={() => setOther(contact.id)}
              data-testid="contact-duplicate-merge"
            >
              {t('dup.merge')}
            </Button>
          )}
        </Group>
      ))}
      <MergeDialog keepId={contactId} otherId={other} onClose={() => setOther(null)} />
    </Stack>
  );
}
