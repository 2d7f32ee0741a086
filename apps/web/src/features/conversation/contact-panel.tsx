import { contactLabel } from '@switchboard/shared';
import {
  Badge,
  Box,
  Button,
  Drawer,
  Group,
  Loader,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, patch, qs } from '../../api/http.ts';
import { useMe } from '../../api/session.ts';
import type { Contact, Conversation, Page } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.ts';
import { applyContact } from '../../realtime/live-provider.tsx';
import { ChannelIcon } from '../inbox/channel-icon.tsx';
import { previewText } from '../inbox/conversation-row.tsx';
import { inboxHref } from '../inbox/inbox-route.ts';
import { ContactDuplicates } from '../contacts/duplicates/contact-duplicates.tsx';
import { ContactConsent } from './contact-consent.tsx';
import { ContactLabels } from './contact-labels.tsx';
import { CustomAttributes } from '../attributes/custom-attributes.tsx';
import { ContactNotes } from './contact-notes.tsx';
import { ContactPrivacy } from './contact-privacy.tsx';

function Field({ label, value }: { label: string; value: string | null }) {
  if (!value) return null;
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" className="sb-text">
        {value}
      </Text>
    </div>
  );
}

function EditContact({ contact, onDone }: { contact: Contact; onDone(): void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [name, setName] = useState(contact.name ?? '');
  const [phone, setPhone] = useState(contact.phone ?? '');
  const [email, setEmail] = useState(contact.email ?? '');
  const save = useMutation({
    // An emptied field clears it on the server (null), an untouched one is left out.
    mutationFn: () => {
      const body: Record<string, string | null> = {};
      const put = (key: string, value: string, old: string | null) => {
        if (value.trim() !== (old ?? '')) body[key] = value.trim() || null;
      };
      put('name', name, contact.name);
      put('phone', phone, contact.phone);
      put('email', email, contact.email);
      if (Object.keys(body).length === 0) return Promise.resolve(contact);
      return patch<Contact>(`/api/v1/contacts/${encodeURIComponent(contact.id)}`, body);
    },
    onSuccess: (c) => {
      applyContact(qc, c);
      onDone();
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="xs">
        <TextInput
          label={t('admin.users.name')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          data-testid="contact-name"
        />
        <TextInput
          label={t('contact.phone')}
          value={phone}
          onChange={(e) => setPhone(e.currentTarget.value)}
        />
        <TextInput
          label={t('contact.email')}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        {save.isError && <ErrorAlert error={save.error} />}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" size="xs" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" size="xs" loading={save.isPending} data-testid="contact-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * The customer behind a conversation: identities on every channel, labels, attributes, colleagues'
 * notes, earlier conversations. Labels and notes follow other consoles' changes live.
 */
export function ContactPanel({
  contactId,
  conversationId,
  opened,
  onClose,
  mode = 'drawer',
}: {
  contactId: string;
  conversationId: string;
  opened: boolean;
  onClose(): void;
  /** A drawer over the conversation (narrow screens), or a column beside it that stays (wide ones). */
  mode?: 'drawer' | 'column';
}) {
  const { t, fmt, lang } = useI18n();
  const contact = useQuery({
    queryKey: ['contact', contactId],
    queryFn: () => get<Contact>(`/api/v1/contacts/${encodeURIComponent(contactId)}`),
    enabled: opened,
  });
  const history = useQuery({
    queryKey: ['contact-conversations', contactId],
    queryFn: () => get<Page<Conversation>>(`/api/v1/conversations${qs({ contact: contactId, limit: 50 })}`),
    enabled: opened,
  });
  const c = contact.data;
  const me = useMe().data;
  const [editing, setEditing] = useState(false);

  const title = (
    <Title order={2} size="h4">
      {t('contact.title')}
    </Title>
  );
  const body = (
    <>
      {contact.isPending && <Loader size="sm" aria-label={t('common.loading')} />}
      {contact.isError && <ErrorAlert error={contact.error} onRetry={() => void contact.refetch()} />}
      {c && (
        <Stack gap="md" data-testid="contact-panel">
          {editing ? (
            <EditContact contact={c} onDone={() => setEditing(false)} />
          ) : (
            <Stack gap={6}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Text fw={600} size="lg" className="sb-text">
                  {contactLabel(c, lang)}
                </Text>
                <Button
                  size="compact-xs"
                  variant="default"
                  onClick={() => setEditing(true)}
                  data-testid="contact-edit"
                >
                  {t('contact.edit')}
                </Button>
              </Group>
              <Field label={t('contact.phone')} value={c.phone} />
              <Field label={t('contact.email')} value={c.email} />
            </Stack>
          )}
          <ContactDuplicates contactId={c.id} />
          <ContactLabels contact={c} />
          <Stack gap={4}>
            <Text size="xs" fw={700} c="dimmed" tt="uppercase">
              {t('contact.identities')}
            </Text>
            {c.identities.map((i) => (
              <Group key={i.id} gap={6} wrap="nowrap">
                <ChannelIcon type={i.channel.type} title={i.channel.name} />
                <Text size="sm">{i.channel.name}</Text>
                <Text size="sm" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                  {i.externalId}
                </Text>
              </Group>
            ))}
          </Stack>
          <ContactConsent contactId={c.id} />
          <CustomAttributes contact={c} conversationId={conversationId} />
          {me && <ContactNotes contactId={c.id} me={me} />}
          <Stack gap={4}>
            <Text size="xs" fw={700} c="dimmed" tt="uppercase">
              {t('contact.conversations')}
            </Text>
            {history.isError && <ErrorAlert error={history.error} />}
            {history.data?.items.map((conv) => (
              <UnstyledButton
                key={conv.id}
                onClick={() => {
                  onClose();
                  navigate(inboxHref({ view: 'all', status: 'any' }, conv.id));
                }}
                p={6}
                style={{ borderRadius: 6, border: '1px solid var(--mantine-color-gray-3)' }}
                data-testid="contact-conversation"
              >
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <Group gap={6} wrap="nowrap" miw={0} style={{ flex: 1 }}>
                    <ChannelIcon type={conv.channel.type} title={conv.channel.name} />
                    <Text size="sm" truncate>
                      {previewText(t, conv.lastMessagePreview)}
                    </Text>
                  </Group>
                  {/* The badges keep their size; the preview is what gets cut short. */}
                  <Group gap={6} wrap="nowrap" style={{ flexShrink: 0 }}>
                    {conv.id === conversationId && (
                      <Badge size="xs" variant="outline">
                        {t('contact.current')}
                      </Badge>
                    )}
                    <Badge size="xs" variant="light">
                      {t(`status.single.${conv.status}`)}
                    </Badge>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {fmt.when(conv.lastActivityAt)}
                    </Text>
                  </Group>
                </Group>
              </UnstyledButton>
            ))}
          </Stack>
          {me?.role === 'admin' && (
            <ContactPrivacy
              contact={c}
              onErased={() => {
                onClose();
                navigate(inboxHref({ view: 'all', status: 'any' }));
              }}
            />
          )}
        </Stack>
      )}
    </>
  );
  if (mode === 'column')
    return (
      <Box
        component="aside"
        aria-label={t('contact.title')}
        data-testid="contact-column"
        p="md"
        style={{
          width: 'clamp(300px, 22vw, 400px)',
          flexShrink: 0,
          overflowY: 'auto',
          borderLeft: '1px solid var(--mantine-color-gray-3)',
        }}
      >
        <Stack gap="md">
          {title}
          {body}
        </Stack>
      </Box>
    );
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="md"
      title={title}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {body}
    </Drawer>
  );
}
