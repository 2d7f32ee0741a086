import {
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useChannels } from '../../api/directory.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { inboxHref } from '../inbox/inbox-route.ts';
import { DELIVERY_STATES, OUTCOMES, deliveryKey, outcomeKey } from './broadcast-figures.ts';
import { go } from './broadcast-list.tsx';
import { BroadcastProgress, ChannelName, StatusBadge, broadcastTitle } from './broadcast-summary.tsx';
import {
  type Broadcast,
  RECIPIENT_OUTCOMES,
  type RecipientOutcome,
  pollInterval,
  useBroadcast,
  useRecipients,
} from './broadcasts-api.ts';

const isDeliveryState = (s: string | null): s is (typeof DELIVERY_STATES)[number] =>
  DELIVERY_STATES.includes(s as (typeof DELIVERY_STATES)[number]);

function Stat({
  label,
  value,
  testId,
  color,
}: {
  label: string;
  value: number;
  testId: string;
  color?: string;
}) {
  const { fmt } = useI18n();
  return (
    <Paper withBorder p="xs">
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text size="lg" fw={700} c={value > 0 ? color : undefined} data-testid={testId} data-value={value}>
        {fmt.number(value)}
      </Text>
    </Paper>
  );
}

/** What was sent: the text as text, or the template's name, language and values. */
function Content({ b }: { b: Broadcast }) {
  const { t } = useI18n();
  if (b.template)
    return (
      <Stack gap={2}>
        <Text size="sm" className="sb-text">
          {t('broadcasts.detail.template', { name: b.template.name, language: b.template.language })}
        </Text>
        {b.template.bodyParameters?.length ? (
          <Text size="sm" c="dimmed" className="sb-text">
            {t('broadcasts.detail.variables', { values: b.template.bodyParameters.join(' · ') })}
          </Text>
        ) : null}
      </Stack>
    );
  return (
    <Text size="sm" className="sb-text" style={{ whiteSpace: 'pre-wrap' }} data-testid="broadcast-text-sent">
      {b.text}
    </Text>
  );
}

/** One broadcast: counts per outcome and delivery, refreshed while it runs, and who got what. */
export function BroadcastDetail({ id }: { id: string }) {
  const { t, fmt } = useI18n();
  const broadcast = useBroadcast(id);
  const channels = useChannels();
  const [outcome, setOutcome] = useState<RecipientOutcome | null>(null);
  const b = broadcast.data;
  const recipients = useRecipients(id, outcome, pollInterval(b));
  const rows = recipients.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack maw={1000}>
      <Anchor href="/broadcasts" onClick={(e: React.MouseEvent) => go(e, '/broadcasts')} size="sm">
        ← {t('broadcasts.back')}
      </Anchor>
      {broadcast.isError && <ErrorAlert error={broadcast.error} onRetry={() => void broadcast.refetch()} />}
      {broadcast.isPending && (
        <Center>
          <Loader size="sm" aria-label={t('common.loading')} />
        </Center>
      )}
      {b && (
        <>
          <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
            <Title order={1} size="h3" className="sb-text" style={{ overflowWrap: 'anywhere' }}>
              {broadcastTitle(t, fmt, b)}
            </Title>
            <StatusBadge b={b} />
          </Group>
          <Group gap="md" wrap="wrap">
            <ChannelName channel={channels.data?.find((c) => c.id === b.channelId)} />
            <Text size="sm" c="dimmed">
              {t('broadcasts.created', { when: fmt.dateTime(b.createdAt) })}
            </Text>
            {b.finishedAt && (
              <Text size="sm" c="dimmed">
                {t('broadcasts.finished', { when: fmt.dateTime(b.finishedAt) })}
              </Text>
            )}
            {b.audience.label && (
              <Badge variant="light" style={{ textTransform: 'none' }}>
                {t('broadcasts.detail.audienceLabel', { label: b.audience.label })}
              </Badge>
            )}
            {b.audience.contactIds !== undefined && (
              <Badge variant="light" color="gray" style={{ textTransform: 'none' }}>
                {t('broadcasts.detail.audienceIds', { n: fmt.number(b.audience.contactIds) })}
              </Badge>
            )}
          </Group>
          <Paper withBorder p="sm">
            <Text size="xs" c="dimmed" fw={600} mb={4}>
              {t('broadcasts.detail.message')}
            </Text>
            <Content b={b} />
          </Paper>
          <BroadcastProgress b={b} />

          <Title order={2} size="h5">
            {t('broadcasts.detail.recipients')}
          </Title>
          <SimpleGrid
            cols={{ base: 2, xs: 3, md: b.status === 'running' ? 6 : 5 }}
            spacing="xs"
            data-testid="broadcast-outcomes"
          >
            {OUTCOMES.filter((o) => o.outcome !== 'pending' || b.status === 'running').map((o) => (
              <Stat
                key={o.outcome}
                label={t(outcomeKey(o.outcome))}
                value={b.counts[o.count]}
                color={o.color}
                testId={`outcome-${o.outcome}`}
              />
            ))}
          </SimpleGrid>
          <Title order={2} size="h5">
            {t('broadcasts.detail.delivery')}
          </Title>
          <SimpleGrid cols={{ base: 2, xs: 3, md: 5 }} spacing="xs" data-testid="broadcast-delivery">
            {DELIVERY_STATES.map((s) => (
              <Stat
                key={s}
                label={t(deliveryKey(s))}
                value={b.delivery[s]}
                color={s === 'failed' ? 'red' : undefined}
                testId={`delivery-${s}`}
              />
            ))}
          </SimpleGrid>

          <Group justify="space-between" align="flex-end" wrap="wrap">
            <Select
              label={t('broadcasts.detail.filter')}
              w={260}
              value={outcome ?? 'all'}
              allowDeselect={false}
              onChange={(v) => setOutcome(v && v !== 'all' ? (v as RecipientOutcome) : null)}
              data={[
                { value: 'all', label: t('broadcasts.detail.filterAll') },
                ...RECIPIENT_OUTCOMES.map((o) => ({ value: o, label: t(outcomeKey(o)) })),
              ]}
              data-testid="recipients-filter"
            />
          </Group>
          {recipients.isError && (
            <ErrorAlert error={recipients.error} onRetry={() => void recipients.refetch()} />
          )}
          {recipients.isSuccess && rows.length === 0 && <Text c="dimmed">{t('broadcasts.detail.none')}</Text>}
          {rows.length > 0 && (
            <Table.ScrollContainer minWidth={360}>
              <Table striped verticalSpacing="xs" data-testid="recipients">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('broadcasts.detail.contact')}</Table.Th>
                    <Table.Th>{t('broadcasts.detail.outcome')}</Table.Th>
                    <Table.Th>{t('broadcasts.detail.conversation')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((r) => {
                    const color = OUTCOMES.find((o) => o.outcome === r.outcome)?.color;
                    const href = r.conversationId
                      ? inboxHref({ view: 'all', status: 'any' }, r.conversationId)
                      : null;
                    return (
                      <Table.Tr key={r.contactId} data-testid="recipient-row" data-outcome={r.outcome}>
                        <Table.Td>
                          <Text size="sm" className="sb-text" style={{ overflowWrap: 'anywhere' }}>
                            {r.contactName ?? r.contactId}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Stack gap={2}>
                            <Badge color={color} variant="light" style={{ textTransform: 'none' }}>
                              {t(outcomeKey(r.outcome))}
                            </Badge>
                            {isDeliveryState(r.deliveryStatus) && (
                              <Text size="xs" c="dimmed" data-testid="recipient-delivery">
                                {t(deliveryKey(r.deliveryStatus))}
                              </Text>
                            )}
                            {r.outcome === 'window_closed' && r.windowClosedAt && (
                              <Text size="xs" c="dimmed">
                                {t('broadcasts.detail.closedAt', { when: fmt.dateTime(r.windowClosedAt) })}
                              </Text>
                            )}
                          </Stack>
                        </Table.Td>
                        <Table.Td>
                          {href && (
                            <Anchor
                              href={href}
                              size="sm"
                              onClick={(e: React.MouseEvent) => go(e, href)}
                              aria-label={t('broadcasts.detail.openConversationWith', {
                                name: r.contactName ?? r.contactId,
                              })}
                              data-testid="recipient-conversation"
                            >
                              {t('broadcasts.detail.openConversation')}
                            </Anchor>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {recipients.hasNextPage && (
            <Button
              variant="light"
              onClick={() => void recipients.fetchNextPage()}
              loading={recipients.isFetchingNextPage}
              data-testid="recipients-more"
            >
              {t('broadcasts.more')}
            </Button>
          )}
        </>
      )}
    </Stack>
  );
}
