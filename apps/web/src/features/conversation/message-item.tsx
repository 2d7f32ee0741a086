import { useChannelNaming } from '../../api/channel-types.ts';
import { Anchor, Badge, Button, Group, Image, Modal, Stack, Text } from '@mantine/core';
import { memo, useState } from 'react';
import { ApiError } from '../../api/http.ts';
import type { Attachment, Message, User } from '../../api/types.ts';
import { errorText } from '../../components/error-alert.tsx';
import { type MessageKey, type Translate, useI18n } from '../../i18n/i18n.tsx';
import { safeUrl } from '../../lib/safe-url.ts';
import { PaperclipIcon, PinIcon, UserIcon } from '../../components/icons.tsx';
import { mapUrl, placeOf, sharedContactOf } from './rich-content.ts';
import { systemText } from './system-text.ts';
import { customerChange } from './customer-change.ts';
import { sentOutside, storyOf } from './meta-context.ts';
import { splitMentions } from './mentions.ts';
import { RetryDelivery } from './retry-delivery.tsx';
import { EmailHeader, EmailHtml, QuotedHistory } from './email-parts.tsx';

function authorLabel(t: Translate, m: Message, meId: string, users: Map<string, User>): string {
  switch (m.authorKind) {
    case 'contact':
      return t('conv.customer');
    case 'bot': {
      // The server stamps a bot's messages with its name at the time.
      const name = (m.meta?.bot as { name?: unknown } | undefined)?.name;
      return typeof name === 'string' && name ? name : t('conv.bot');
    }
    case 'system':
      return t('conv.system');
    default: {
      const outside = sentOutside(m);
      if (outside === 'other') return String((m.meta?.sentOutside as { by?: string } | undefined)?.by);
      if (outside) return t(`conv.sentOutside.${outside}`);
      if (m.authorId === meId) return t('conv.you');
      return (m.authorId && users.get(m.authorId)?.name) || t('conv.operator');
    }
  }
}

const AUTOMATIC_KINDS = ['greeting', 'offline', 'no_answer'] as const;

function automaticKind(m: Message): (typeof AUTOMATIC_KINDS)[number] | null {
  const v = m.meta?.automatic;
  return AUTOMATIC_KINDS.find((k) => k === v) ?? null;
}

function AttachmentView({ a }: { a: Attachment }) {
  const { t, fmt } = useI18n();
  const [viewing, setViewing] = useState(false);
  const url = safeUrl(a.url);
  // The e-mail channel keeps each mail's original MIME as a file of this name and type.
  const original = a.name === 'original.eml' && a.mimeType === 'message/rfc822';
  const name = original ? t('email.original') : (a.name ?? t(`kind.${a.kind}`));
  if (!url)
    return (
      <Text size="sm" c="dimmed">
        <bdi>{name}</bdi>
      </Text>
    );
  // Only our own copies are shown inline. A file still at someone else's address (a download that
  // failed, a link an operator sent) stays a link: loading it would hand the operator's IP and network
  // to whoever controls that address.
  const ours = url.startsWith('/');
  if (ours && (a.kind === 'image' || a.kind === 'sticker'))
    return (
      <>
        <button
          type="button"
          onClick={() => setViewing(true)}
          style={{ padding: 0, border: 0, background: 'none' }}
          aria-label={t('conv.attachmentImage', { name })}
        >
          <img
            src={url}
            alt={name}
            className="sb-attachment-img"
            loading="lazy"
            referrerPolicy="no-referrer"
          />
        </button>
        <Modal
          opened={viewing}
          onClose={() => setViewing(false)}
          closeButtonProps={{ 'aria-label': t('common.close') }}
          size="auto"
          title={name}
          centered
        >
          <Image src={url} alt={name} fit="contain" mah="80vh" referrerPolicy="no-referrer" />
        </Modal>
      </>
    );
  if (ours && a.kind === 'video')
    return (
      // biome-ignore lint/a11y/useMediaCaption: customer videos come without caption tracks
      <video
        src={url}
        controls
        preload="metadata"
        style={{ maxWidth: '100%', maxHeight: 320, borderRadius: 8 }}
      />
    );
  if (ours && (a.kind === 'audio' || a.kind === 'voice'))
    return (
      // biome-ignore lint/a11y/useMediaCaption: customer audio comes without caption tracks
      <audio src={url} controls preload="metadata" style={{ maxWidth: '100%' }} />
    );
  return (
    <Anchor href={url} target="_blank" rel="noopener noreferrer nofollow" size="sm" download={a.name ?? true}>
      <PaperclipIcon size={14} /> <bdi data-testid="file-name">{name}</bdi>
      {a.size !== null && ` (${fmt.bytes(a.size)})`}
    </Anchor>
  );
}

const DELIVERY_ERRORS = new Set([
  'customer_unavailable',
  'rejected_by_callback',
  'no_callback_url',
  'blocked_address',
  'window_closed',
  'invalid_token',
  'permission_denied',
  'invalid_recipient',
  'opted_out',
  'blocked',
  'not_delivered',
  'rate_limited',
  'template_error',
  'account_restricted',
  'provider_unavailable',
  'too_large',
  'unsupported',
]);

/** A channel's failure in the UI language when its code is known; the provider's own words otherwise. */
function deliveryError(t: Translate, e: { code: string; message: string }): string {
  return DELIVERY_ERRORS.has(e.code) ? t(`deliveryError.${e.code}` as MessageKey) : e.message;
}

/** A reply to the business's story, or a mention in the customer's (Instagram), with the story's link. */
function StoryLine({ m }: { m: Message }) {
  const { t } = useI18n();
  const story = storyOf(m);
  if (!story) return null;
  return (
    <Group gap={6} data-testid="story">
      <Text size="xs" c="dimmed">
        {t(story.kind === 'reply' ? 'conv.story.reply' : 'conv.story.mention')}
      </Text>
      {story.url && (
        <Anchor href={story.url} target="_blank" rel="noopener noreferrer nofollow" size="xs">
          {t('conv.story.open')}
        </Anchor>
      )}
    </Group>
  );
}

function LocationView({ m }: { m: Message }) {
  const { t } = useI18n();
  const place = placeOf(m)!;
  return (
    <Anchor
      href={mapUrl(place)}
      target="_blank"
      rel="noopener noreferrer nofollow"
      size="sm"
      data-testid="location"
    >
      <Group gap={6} wrap="nowrap" align="flex-start">
        <PinIcon />
        <span>
          <span className="sb-text">{place.label}</span>
          <br />
          {t('conv.openMap')}
        </span>
      </Group>
    </Anchor>
  );
}

function ContactCard({ m }: { m: Message }) {
  const { t } = useI18n();
  const c = sharedContactOf(m);
  return (
    <Group gap={8} wrap="nowrap" data-testid="contact-card">
      <UserIcon size={20} />
      <div>
        <Text size="sm" fw={600} className="sb-text">
          {c.name}
        </Text>
        {c.phone && (
          <Anchor href={`tel:${c.phone}`} size="sm" aria-label={t('conv.call', { phone: c.phone })}>
            {c.phone}
          </Anchor>
        )}
      </div>
    </Group>
  );
}

/** A note's text with @mentions of colleagues set off (still plain text nodes, never markup). */
function WithMentions({ text, users, meId }: { text: string; users: Map<string, User>; meId: string }) {
  const parts = splitMentions(
    text,
    [...users.values()].map((u) => u.name),
  );
  const myName = users.get(meId)?.name;
  // Keys are the parts' offsets in the text: stable for the same text.
  let offset = 0;
  return (
    <>
      {parts.map((p) => {
        const at = offset;
        offset += p.text.length;
        if (!p.mention) return p.text;
        return (
          <Text key={at} span fw={700} c={p.text === `@${myName}` ? 'red.8' : 'blue.8'} data-testid="mention">
            {p.text}
          </Text>
        );
      })}
    </>
  );
}

function DeliveryLine({ m, onRetry }: { m: Message; onRetry?: (m: Message) => void }) {
  const { t } = useI18n();
  if (m.local === 'sending')
    return (
      <Text size="xs" c="dimmed" data-testid="delivery" data-status="sending">
        {t('delivery.sending')}
      </Text>
    );
  if (m.local === 'failed')
    return (
      <Group gap="xs" data-testid="delivery" data-status="failed">
        <Text size="xs" c="red">
          {m.error?.code === 'network_error'
            ? t('delivery.notSent')
            : t('delivery.failedReason', {
                reason: errorText(t, new ApiError(0, (m.error?.code ?? 'unknown') as ApiError['code'], '')),
              })}
        </Text>
        {onRetry && (
          <Button size="compact-xs" variant="light" color="red" onClick={() => onRetry(m)}>
            {t('common.retry')}
          </Button>
        )}
      </Group>
    );
  if (m.private || m.direction !== 'out' || !m.deliveryStatus) return null;
  if (m.deliveryStatus === 'failed')
    return (
      <Group gap="xs" justify="flex-end">
        <Text size="xs" c="red" data-testid="delivery" data-status="failed" title={m.error?.message}>
          {m.error ? t('delivery.failedReason', { reason: deliveryError(t, m.error) }) : t('delivery.failed')}
        </Text>
        <RetryDelivery m={m} />
      </Group>
    );
  return (
    <Text size="xs" c="dimmed" data-testid="delivery" data-status={m.deliveryStatus}>
      {t(`delivery.${m.deliveryStatus}`)}
      {m.deliveryStatus === 'read' || m.deliveryStatus === 'delivered'
        ? ' ✓✓'
        : m.deliveryStatus === 'sent'
          ? ' ✓'
          : ''}
    </Text>
  );
}

interface Props {
  m: Message;
  meId: string;
  users: Map<string, User>;
  onRetry?: (m: Message) => void;
  /** The message search led to. */
  highlight?: boolean;
}

/** One message. Customer text goes in as a React text node: markup in it shows as characters. */
export const MessageItem = memo(function MessageItem({ m, meId, users, onRetry, highlight }: Props) {
  const { t, fmt } = useI18n();
  const names = useChannelNaming();
  // An automatic message (greeting, offline reply…) went to the customer: shown as a reply, marked.
  const automatic = automaticKind(m);
  const kind = automatic ? 'auto' : m.authorKind === 'system' ? 'system' : m.private ? 'note' : m.direction;
  const align = kind === 'system' ? 'center' : kind === 'in' ? 'flex-start' : 'flex-end';
  const change = customerChange(m);
  return (
    <Stack
      gap={2}
      align={align}
      px="md"
      py={6}
      data-testid="message"
      data-kind={kind}
      data-message-id={m.id}
      data-highlight={highlight || undefined}
      style={highlight ? { background: 'var(--mantine-color-yellow-0)' } : undefined}
    >
      <Group gap={6}>
        <Text size="xs" fw={600} c="dimmed">
          {authorLabel(t, m, meId, users)}
        </Text>
        {automatic && (
          <Badge size="xs" color="grape" variant="light" data-testid="automatic-badge">
            {t(`conv.automatic.${automatic}`)}
          </Badge>
        )}
        {m.private && m.authorKind !== 'system' && (
          <Badge size="xs" color="yellow" variant="light">
            {t('conv.privateNote')}
          </Badge>
        )}
        {m.meta?.billable === true && (
          <Badge size="xs" color="orange" variant="light" data-testid="billable-badge">
            {t('conv.billable')}
          </Badge>
        )}
        {change === 'deleted' && (
          <Badge size="xs" color="red" variant="light" data-testid="deleted-badge">
            {t('conv.deletedByCustomer')}
          </Badge>
        )}
        {change === 'edited' && (
          <Text size="xs" c="dimmed" data-testid="edited-mark">
            {t('conv.edited')}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          <time dateTime={new Date(m.createdAt).toISOString()} title={fmt.dateTime(m.createdAt)}>
            {fmt.when(m.createdAt)}
          </time>
        </Text>
      </Group>
      <div className="sb-bubble" data-kind={kind}>
        <Stack gap={6}>
          <EmailHeader m={m} />
          {m.contentKind === 'location' && placeOf(m) ? (
            <LocationView m={m} />
          ) : m.contentKind === 'contact' && m.text ? (
            <ContactCard m={m} />
          ) : m.authorKind === 'system' && !automatic ? (
            <Text size="sm" className="sb-text" data-testid="system-text">
              {systemText(t, m, users, names)}
            </Text>
          ) : (
            m.text !== null &&
            m.text !== '' && (
              // A deleted message's text stays visible to colleagues, struck through.
              <Text
                size="sm"
                className="sb-text"
                dir="auto"
                data-testid="message-text"
                {...(change === 'deleted' ? { td: 'line-through', c: 'dimmed' } : {})}
              >
                {m.private ? <WithMentions text={m.text} users={users} meId={meId} /> : m.text}
              </Text>
            )
          )}
          <QuotedHistory m={m} />
          <EmailHtml m={m} />
          <StoryLine m={m} />
          {m.attachments.map((a) => (
            <AttachmentView key={a.id} a={a} />
          ))}
          {m.text === null && m.attachments.length === 0 && (
            <Text size="sm" c="dimmed">
              {t(`kind.${m.contentKind}`)}
            </Text>
          )}
        </Stack>
      </div>
      <DeliveryLine m={m} onRetry={onRetry} />
    </Stack>
  );
});
