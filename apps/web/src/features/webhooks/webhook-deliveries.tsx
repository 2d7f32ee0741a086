import { Badge, Button, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import type {
  Page,
  WebhookDeliveryDetailDto,
  WebhookDeliveryDto,
  WebhookDeliveryStatus,
} from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { get, post } from '../../api/http.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

const STATUS_COLOR: Record<WebhookDeliveryStatus, string> = {
  pending: 'blue',
  retrying: 'orange',
  delivered: 'green',
  failed: 'red',
};

/** One endpoint's delivery log, newest first: status, tries, answer, timing; a settled one can be sent again. */
export function WebhookDeliveries({ webhookId }: { webhookId: string }) {
  const { t, fmt } = useI18n();
  const qc = useQueryClient();
  const key = ['webhooks', webhookId, 'deliveries'];
  const list = useQuery({
    queryKey: key,
    queryFn: () => get<Page<WebhookDeliveryDto>>(`/api/v1/webhooks/${webhookId}/deliveries?limit=50`),
    // Retries happen in the background: keep the log moving while it is open.
    refetchInterval: 5000,
  });
  const [shown, setShown] = useState<string | null>(null);
  const redeliver = useMutation({
    mutationFn: (id: string) =>
      post<WebhookDeliveryDto>(`/api/v1/webhooks/${webhookId}/deliveries/${id}/redeliver`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: key }),
  });
  const items = list.data?.items ?? [];
  return (
    <Stack gap="xs" data-testid="webhook-deliveries">
      <Group justify="space-between">
        <Title order={2} size="h4">
          {t('webhooks.log')}
        </Title>
        <Button size="xs" variant="subtle" onClick={() => void list.refetch()}>
          {t('webhooks.refresh')}
        </Button>
      </Group>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {redeliver.isError && <ErrorAlert error={redeliver.error} />}
      {list.data && items.length === 0 && <Text c="dimmed">{t('webhooks.log.empty')}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('webhooks.log.time')}</Table.Th>
                <Table.Th>{t('webhooks.log.event')}</Table.Th>
                <Table.Th>{t('webhooks.log.status')}</Table.Th>
                <Table.Th>{t('webhooks.log.attempts')}</Table.Th>
                <Table.Th>{t('webhooks.log.answer')}</Table.Th>
                <Table.Th>{t('webhooks.log.duration')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((d) => (
                <Fragment key={d.id}>
                  <Table.Tr data-delivery-id={d.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.dateTime(d.createdAt)}</Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {d.eventType}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLOR[d.status]} data-testid="delivery-status">
                        {t(`webhooks.status.${d.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td data-testid="delivery-attempts">{d.attempts}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{d.lastStatusCode ?? d.lastError ?? '—'}</Text>
                    </Table.Td>
                    <Table.Td>
                      {d.lastDurationMs === null ? '—' : t('webhooks.log.ms', { n: d.lastDurationMs })}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap" justify="flex-end">
                        <Button
                          size="xs"
                          variant="subtle"
                          onClick={() => setShown(shown === d.id ? null : d.id)}
                        >
                          {t('webhooks.log.details')}
                        </Button>
                        <Button
                          size="xs"
                          variant="light"
                          disabled={d.status === 'pending' || d.status === 'retrying'}
                          loading={redeliver.isPending && redeliver.variables === d.id}
                          onClick={() => redeliver.mutate(d.id)}
                        >
                          {t('webhooks.log.redeliver')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                  {shown === d.id && (
                    <Table.Tr>
                      <Table.Td colSpan={7}>
                        <DeliveryDetail webhookId={webhookId} deliveryId={d.id} />
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function DeliveryDetail({ webhookId, deliveryId }: { webhookId: string; deliveryId: string }) {
  const { t, fmt } = useI18n();
  const q = useQuery({
    queryKey: ['webhooks', webhookId, 'deliveries', deliveryId],
    queryFn: () => get<WebhookDeliveryDetailDto>(`/api/v1/webhooks/${webhookId}/deliveries/${deliveryId}`),
  });
  if (q.isError) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Text size="sm">{t('common.loading')}</Text>;
  return (
    <Stack gap="xs" data-testid="delivery-detail">
      <Text size="sm" fw={600}>
        {t('webhooks.log.deliveryId')}: <Code>{q.data.id}</Code>
      </Text>
      <Text size="sm" fw={600}>
        {t('webhooks.log.body')}
      </Text>
      <Code block style={{ maxHeight: 200, overflow: 'auto' }}>
        {q.data.requestBody}
      </Code>
      <Text size="sm" fw={600}>
        {t('webhooks.log.history')}
      </Text>
      {q.data.history.map((a) => (
        <Text
          key={`${a.at}-${a.requestHeaders['x-switchboard-timestamp']}`}
          size="sm"
          data-testid="delivery-attempt"
        >
          {fmt.dateTime(a.at)} · {a.statusCode ?? '—'} · {t('webhooks.log.ms', { n: a.durationMs })}
          {a.error ? ` · ${a.error}` : ''}
        </Text>
      ))}
    </Stack>
  );
}
