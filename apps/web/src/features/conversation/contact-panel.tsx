import { Badge, Drawer, Group, Loader, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { get, qs } from '../../api/http.ts';
import type { Contact, Conversation, Page } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.ts';
import { ChannelIcon } from '../inbox/channel-icon.tsx';
import { previewText } from '../inbox/conversation-row.tsx';
import { inboxHref } from '../inbox/inbox-route.ts';

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

function attributeText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The customer behind a conversation: identities on every channel, attributes, earlier conversations. */
export function ContactPanel({
  contactId,
  conversationId,
  opened,
  onClose,
}: {
  contactId: string;
  conversationId: string;
  opened: boolean;
  onClose(): void;
}) {
  const { t, fmt } = useI18n();
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
  const attributes = Object.entries(c?.attributes ?? {});

  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="md"
      title={
        <Title order={2} size="h4">
          {t('contact.title')}
        </Title>
      }
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {contact.isPending && <Loader size="sm" aria-label={t('common.loading')} />}
      {contact.isError && <ErrorAlert error={contact.error} onRetry={() => void contact.refetch()} />}
      {c && (
        <Stack gap="md" data-testid="contact-panel">
          <Stack gap={6}>
            <Text fw={600} size="lg" className="sb-text">
              {c.name ?? t('inbox.unknownContact')}
            </Text>
            <Field label={t('contact.phone')} value={c.phone} />
            <Field label={t('contact.email')} value={c.email} />
          </Stack>
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
          {attributes.length > 0 && (
            <Stack gap={4}>
              <Text size="xs" fw={700} c="dimmed" tt="uppercase">
                {t('contact.attributes')}
              </Text>
              <Table withRowBorders={false} verticalSpacing={2}>
                <Table.Tbody>
                  {attributes.map(([k, v]) => (
                    <Table.Tr key={k}>
                      <Table.Td>
                        <Text size="sm" c="dimmed" className="sb-text">
                          {k}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" className="sb-text">
                          {attributeText(v)}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Stack>
          )}
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
                  <Group gap={6} wrap="nowrap" miw={0}>
                    <ChannelIcon type={conv.channel.type} title={conv.channel.name} />
                    <Text size="sm" truncate>
                      {previewText(t, conv.lastMessagePreview)}
                    </Text>
                  </Group>
                  <Group gap={6} wrap="nowrap">
                    {conv.id === conversationId && (
                      <Badge size="xs" variant="outline">
                        {t('contact.current')}
                      </Badge>
                    )}
                    <Badge size="xs" variant="light">
                      {t(`status.${conv.status}`)}
                    </Badge>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {fmt.when(conv.lastActivityAt)}
                    </Text>
                  </Group>
                </Group>
              </UnstyledButton>
            ))}
          </Stack>
        </Stack>
      )}
    </Drawer>
  );
}
