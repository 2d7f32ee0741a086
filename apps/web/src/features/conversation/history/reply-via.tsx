import type { ReplyChannel } from '@switchboard/shared';
import { Anchor, Group, Select, Text } from '@mantine/core';
import type { Message } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { type Translate, useI18n } from '../../../i18n/i18n.tsx';
import { navigate } from '../../../lib/router.ts';
import { inboxHref } from '../../inbox/inbox-route.ts';

/** May an operator's reply go there now (the window, or a provider tag for a person's answer)? */
function canReply(rc: ReplyChannel): boolean {
  const w = rc.window;
  return rc.active && (w.open || (w.tag !== null && w.tag.closesAt > w.now));
}

function optionLabel(t: Translate, rc: ReplyChannel): string {
  const channel = rc.channel.name;
  if (rc.current) return t('replyVia.here', { channel });
  if (!rc.active) return t('replyVia.inactive', { channel });
  if (canReply(rc)) return channel;
  if (rc.window.reason === 'opted_out') return t('replyVia.optedOut', { channel });
  return rc.window.fallback === 'template'
    ? t('replyVia.templatesOnly', { channel })
    : t('replyVia.closed', { channel });
}

/** Why a reply cannot go on another channel now, in the window policy's words; null when it can. */
export function elsewhereBlock(t: Translate, time: (ts: number) => string, rc: ReplyChannel): string | null {
  const channel = rc.channel.name;
  if (!rc.active) return t('replyVia.inactiveText', { channel });
  if (canReply(rc)) return null;
  const w = rc.window;
  if (w.reason === 'opted_out') return t('replyVia.optedOutText', { channel });
  if (w.reason === 'no_inbound') return t('replyVia.windowNoInbound', { channel });
  return t('replyVia.windowExpired', { channel, time: time(w.closesAt ?? w.now) });
}

/**
 * "Reply via": the customer's other channels beside this conversation's, each saying whether a reply may
 * go there now; shown only when the customer can be reached on more than one.
 */
export function ReplyVia({
  items,
  value,
  onChange,
  sent,
  error,
}: {
  items: ReplyChannel[];
  value: string;
  onChange(channelId: string): void;
  /** The last reply sent on another channel, to open where it went. */
  sent?: Message;
  /** Why the last reply on another channel failed. */
  error?: unknown;
}) {
  const { t } = useI18n();
  if (items.length < 2) return null;
  const picked = items.find((rc) => rc.channel.id === value);
  const sentOn = sent && items.find((rc) => rc.channel.id === sent.channelId);
  return (
    <Group
      gap="xs"
      px="sm"
      py={4}
      wrap="wrap"
      style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}
      data-testid="reply-via"
    >
      <Select
        size="xs"
        label={t('replyVia.label')}
        data={items.map((rc) => ({ value: rc.channel.id, label: optionLabel(t, rc) }))}
        value={value}
        onChange={(v) => v && onChange(v)}
        allowDeselect={false}
        comboboxProps={{ withinPortal: true }}
        data-testid="reply-via-select"
        style={{ minWidth: 240 }}
      />
      {picked && !picked.current && picked.conversationId === null && canReply(picked) && (
        <Text size="xs" c="dimmed">
          {t('replyVia.new', { channel: picked.channel.name })}
        </Text>
      )}
      {sent && sentOn && (
        <Text size="xs" c="teal" role="status" data-testid="reply-via-sent">
          {t('replyVia.sent', { channel: sentOn.channel.name })}{' '}
          <Anchor
            size="xs"
            component="button"
            onClick={() => navigate(inboxHref({ view: 'all', status: 'any' }, sent.conversationId))}
          >
            {t('replyVia.openSent')}
          </Anchor>
        </Text>
      )}
      {error != null && <ErrorAlert error={error} />}
    </Group>
  );
}
