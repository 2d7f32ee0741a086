import { Alert, Badge, Button, Checkbox, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import {
  type CreatedWebhook,
  PUBLIC_EVENT_TYPES,
  type PublicEventType,
  type WebhookDto,
} from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { del, get, patch, post } from '../../api/http.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { SecretField } from '../../components/secret-field.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { WebhookDeliveries } from './webhook-deliveries.tsx';

const KEY = ['webhooks'];

/**
 * Outgoing webhooks: endpoints with the events they receive, their state (on, off, paused by
 * Switchboard with the reason) and, per endpoint, the delivery log with redelivery.
 */
export function WebhooksPage() {
  const { t, fmt } = useI18n();
  const qc = useQueryClient();
  const hooks = useQuery({
    queryKey: KEY,
    queryFn: () => get<{ items: WebhookDto[] }>('/api/v1/webhooks').then((r) => r.items),
  });
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<PublicEventType[]>(['message.created']);
  const [fresh, setFresh] = useState<CreatedWebhook | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  // Deleting takes a second click on the same button: the log goes with the endpoint.
  const [confirming, setConfirming] = useState<string | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: KEY });
  const create = useMutation({
    mutationFn: () => post<CreatedWebhook>('/api/v1/webhooks', { url: url.trim(), events }),
    onSuccess: (h) => {
      setUrl('');
      setFresh(h);
      refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (h: WebhookDto) => patch<WebhookDto>(`/api/v1/webhooks/${h.id}`, { active: !h.active }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/api/v1/webhooks/${id}`),
    onSuccess: (_r, id) => {
      if (open === id) setOpen(null);
      refresh();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (url.trim() && events.length) create.mutate();
  };

  return (
    <Stack maw={1100}>
      <Title order={1} size="h3">
        {t('webhooks.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('webhooks.intro')}
      </Text>
      <form onSubmit={submit} data-testid="webhook-form">
        <Stack gap="xs">
          <TextInput
            label={t('webhooks.url')}
            placeholder="https://crm.example.com/switchboard"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            data-testid="webhook-url"
          />
          <Checkbox.Group
            label={t('webhooks.events')}
            value={events}
            onChange={(v) => setEvents(v as PublicEventType[])}
          >
            <Group gap="md" mt={4}>
              {PUBLIC_EVENT_TYPES.map((e) => (
                <Checkbox key={e} value={e} label={t(`webhooks.event.${e}`)} data-event={e} />
              ))}
            </Group>
          </Checkbox.Group>
          <Group>
            <Button type="submit" loading={create.isPending} disabled={!url.trim() || !events.length}>
              {t('webhooks.add')}
            </Button>
          </Group>
        </Stack>
      </form>
      {create.isError && <ErrorAlert error={create.error} />}
      {(toggle.isError || remove.isError) && <ErrorAlert error={toggle.error ?? remove.error} />}
      {fresh && (
        <Alert color="green" withCloseButton onClose={() => setFresh(null)} data-testid="webhook-created">
          <Stack gap="xs">
            <Text size="sm">{t('webhooks.secretOnce')}</Text>
            <SecretField label={t('webhooks.secret')} value={fresh.secret} testId="webhook-secret" />
          </Stack>
        </Alert>
      )}
      {hooks.isError && <ErrorAlert error={hooks.error} onRetry={() => void hooks.refetch()} />}
      {hooks.data?.length === 0 && <Text c="dimmed">{t('webhooks.empty')}</Text>}
      {hooks.data && hooks.data.length > 0 && (
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing="xs" data-testid="webhooks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('webhooks.url')}</Table.Th>
                <Table.Th>{t('webhooks.events')}</Table.Th>
                <Table.Th>{t('webhooks.state')}</Table.Th>
                <Table.Th>{t('webhooks.lastSuccess')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {hooks.data.map((h) => (
                <Table.Tr key={h.id} data-webhook-id={h.id}>
                  <Table.Td style={{ overflowWrap: 'anywhere', maxWidth: 320 }}>
                    <Text size="sm" ff="monospace">
                      {h.url}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{h.events.map((e) => t(`webhooks.event.${e}`)).join(', ')}</Text>
                  </Table.Td>
                  <Table.Td data-testid="webhook-state">
                    <WebhookState hook={h} />
                  </Table.Td>
                  <Table.Td>{h.lastSuccessAt ? fmt.dateTime(h.lastSuccessAt) : t('common.never')}</Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap" justify="flex-end">
                      <Button size="xs" variant="light" onClick={() => setOpen(open === h.id ? null : h.id)}>
                        {t('webhooks.deliveries')}
                      </Button>
                      <Button size="xs" variant="default" onClick={() => toggle.mutate(h)}>
                        {h.active
                          ? t('webhooks.turnOff')
                          : h.pausedAt
                            ? t('webhooks.resume')
                            : t('webhooks.turnOn')}
                      </Button>
                      <Button
                        size="xs"
                        variant={confirming === h.id ? 'filled' : 'subtle'}
                        color="red"
                        onClick={() => (confirming === h.id ? remove.mutate(h.id) : setConfirming(h.id))}
                        onBlur={() => setConfirming(null)}
                      >
                        {confirming === h.id ? t('webhooks.confirmDelete') : t('webhooks.delete')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {open && hooks.data?.some((h) => h.id === open) && <WebhookDeliveries webhookId={open} />}
    </Stack>
  );
}

function WebhookState({ hook }: { hook: WebhookDto }) {
  const { t, fmt } = useI18n();
  if (hook.active) return <Badge color="green">{t('webhooks.state.active')}</Badge>;
  if (!hook.pausedAt || !hook.pauseReason) return <Badge color="gray">{t('webhooks.state.off')}</Badge>;
  return (
    <Stack gap={2}>
      <Badge color="orange">{t('webhooks.state.paused')}</Badge>
      <Text size="xs" data-testid="webhook-pause-reason">
        {t(`webhooks.pause.${hook.pauseReason.code}`)} · {fmt.dateTime(hook.pausedAt)}
      </Text>
      <Text size="xs" c="dimmed" ff="monospace">
        {hook.pauseReason.message}
      </Text>
    </Stack>
  );
}
