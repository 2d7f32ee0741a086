import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import type { ContactErasure } from '@switchboard/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { del } from '../../api/http.ts';
import type { Contact } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

/**
 * Privacy requests for admins: download everything held about the contact, or erase it all. Erasure
 * cannot be undone, so it asks for the contact's name (or id, when there is no name) to be typed.
 */
export function ContactPrivacy({ contact, onErased }: { contact: Contact; onErased(): void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const expected = contact.name ?? contact.id;
  const url = `/api/v1/contacts/${encodeURIComponent(contact.id)}`;
  const erase = useMutation({
    mutationFn: () => del<ContactErasure>(`${url}?erase=true`),
    onSuccess: () => {
      setConfirming(false);
      // The contact's conversations and messages are gone from every list and count.
      void qc.invalidateQueries();
      onErased();
    },
  });
  const close = () => {
    setConfirming(false);
    setTyped('');
    erase.reset();
  };
  return (
    <Stack gap={4} data-testid="contact-privacy">
      <Text size="xs" fw={700} c="dimmed" tt="uppercase">
        {t('contact.privacy')}
      </Text>
      <Group gap="xs">
        <Button
          component="a"
          href={`${url}/export`}
          download
          size="compact-sm"
          variant="default"
          data-testid="contact-export"
        >
          {t('contact.exportData')}
        </Button>
        <Button
          size="compact-sm"
          color="red"
          variant="light"
          onClick={() => setConfirming(true)}
          data-testid="contact-erase"
        >
          {t('contact.eraseData')}
        </Button>
      </Group>
      <Modal opened={confirming} onClose={close} title={t('contact.eraseTitle')} centered>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (typed.trim() === expected) erase.mutate();
          }}
        >
          <Stack gap="sm">
            <Alert color="red" variant="light">
              {t('contact.eraseWarning')}
            </Alert>
            <TextInput
              label={t('contact.eraseTypeName', { name: expected })}
              value={typed}
              onChange={(e) => setTyped(e.currentTarget.value)}
              autoComplete="off"
              data-testid="contact-erase-confirm"
            />
            {erase.isError && <ErrorAlert error={erase.error} />}
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button
                type="submit"
                color="red"
                disabled={typed.trim() !== expected}
                loading={erase.isPending}
                data-testid="contact-erase-submit"
              >
                {t('contact.eraseSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
