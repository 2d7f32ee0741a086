import { contactLabel } from '@switchboard/shared';
import { useChannelNaming } from '../../api/channel-types.ts';
import {
  ActionIcon,
  Badge,
  Center,
  Collapse,
  Group,
  Loader,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useChannels, useUserNames } from '../../api/directory.ts';
import type { Me, Message } from '../../api/types.ts';
import { ErrorAlert, errorText } from '../../components/error-alert.tsx';
import { BackIcon, MailIcon, MoreIcon, UserIcon } from '../../components/icons.tsx';
import { useContactColumn } from './contact-column.ts';
import { ContactPanel } from './contact-panel.tsx';
import { PresenceDot } from '../presence/presence-select.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { assigneeName } from '../inbox/conversation-row.tsx';
import { ChannelIcon } from '../inbox/channel-icon.tsx';
import { useMarkRead, useMarkUnread } from '../inbox/unread.ts';
import { useConversation } from '../inbox/use-conversations.ts';
import { Composer } from './composer.tsx';
import { ConversationActions } from './conversation-actions.tsx';
import { MessageList } from './message-list.tsx';
import { TransferBanner } from '../transfer/transfer-banner.tsx';
import {
  renderTemplate,
  sendTyping,
  useMessagingWindow,
  usePatchConversation,
  useSendMessage,
  useTemplates,
} from './use-conversation-data.ts';
import { useKeys } from '../../layout/shortcuts-help.tsx';
import { useConversationActivity } from '../../realtime/live-provider.tsx';
import { AlsoViewing } from './also-viewing.tsx';
import { TemplateFallback } from './template-fallback.tsx';
import { TypingIndicator } from './typing-indicator.tsx';
import { TagExtension, usableTag } from './tag-extension.tsx';
import { SessionNotice } from './session-notice.tsx';
import { WindowCountdown, useWindowClock } from './window-countdown.tsx';
import { EarlierHistory } from './history/earlier-history.tsx';
import { ReplyVia, elsewhereBlock } from './history/reply-via.tsx';
import { useReplyVia } from './history/use-reply-via.ts';
import { SplitBar } from './merge-split/split-bar.tsx';
import { useMergedRedirect } from './merge-split/use-merged-redirect.ts';

const STATUS_COLOR = {
  open: 'blue',
  pending: 'grape',
  snoozed: 'orange',
  resolved: 'green',
  bot: 'cyan',
} as const;

export function ConversationView({
  id,
  me,
  onBack,
  onLeave,
  focusMessageId,
}: {
  id: string;
  me: Me;
  onBack?: () => void;
  /** Back to the list: after marking unread, so the open view does not read it again at once. */
  onLeave?: () => void;
  focusMessageId?: string;
}) {
  const { t, fmt, lang } = useI18n();
  const names = useChannelNaming();
  const conv = useConversation(id);
  useMergedRedirect(id, conv.data);
  const users = useUserNames();
  const channels = useChannels();
  const compact = !useMediaQuery('(min-width: 48em)', true);
  const [actionsOpen, actions] = useDisclosure(false);
  const [contactOpen, contactPanel] = useDisclosure(false);
  const contactColumn = useContactColumn();
  // Seeing the newest customer message moves this operator's read marker (on the server) up to it.
  const onSeen = useMarkRead(id);
  const markUnread = useMarkUnread(id);
  const [unreadError, setUnreadError] = useState<unknown>(null);
  const leaveUnread = () => {
    setUnreadError(null);
    markUnread().then(() => onLeave?.(), setUnreadError);
  };
  const send = useSendMessage(id, conv.data?.channel.id ?? '', me);
  const templates = useTemplates();
  const win = useMessagingWindow(id, conv.data?.lastInboundAt ?? null);
  // The operator chose to answer with the provider's tag (reset when another conversation opens).
  const [taggedReply, setTaggedReply] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on a conversation change only
  useEffect(() => setTaggedReply(false), [id]);
  const clock = useWindowClock(win.data, win.dataUpdatedAt);
  // Another of the customer's channels picked to answer on (One history); undefined: this one.
  const via = useReplyVia(id, conv.data?.lastInboundAt ?? null);
  const elsewhere = via.target;
  const live = useConversationActivity(id);
  const composer = useRef<HTMLTextAreaElement>(null);
  const patchConv = usePatchConversation(id, me.user.id);
  useKeys({
    a: () => {
      if (conv.data && conv.data.assigneeId !== me.user.id) patchConv.mutate({ assigneeId: me.user.id });
    },
    e: () => {
      if (conv.data)
        patchConv.mutate({
          status: conv.data.status === 'open' || conv.data.status === 'pending' ? 'resolved' : 'open',
        });
    },
    r: () => composer.current?.focus(),
    u: leaveUnread,
  });
  const onTyping = useCallback(
    (typing: boolean, note?: boolean) => sendTyping(id, typing, note ?? false),
    [id],
  );
  const retry = useCallback(
    (m: Message) => {
      // A reply the server never got: resend it as it was (its files are uploads, kept by id).
      if (m.clientMessageId && (m.text || m.attachments.length))
        send.mutate({
          text: m.text ?? '',
          private: m.private,
          clientMessageId: m.clientMessageId,
          attachments: m.attachments,
          mentions: m.mentions,
        });
    },
    [send.mutate],
  );

  if (conv.isPending)
    return (
      <Center flex={1}>
        <Loader size="sm" aria-label={t('common.loading')} />
      </Center>
    );
  if (conv.isError)
    return (
      <Stack p="md">
        <ErrorAlert error={conv.error} onRetry={() => void conv.refetch()} />
      </Stack>
    );
  const c = conv.data;
  const channel = channels.data?.find((ch) => ch.id === c.channel.id);
  const replyChannel = elsewhere ? channels.data?.find((ch) => ch.id === elsewhere.channel.id) : channel;
  const name = contactLabel(c.contact, lang);
  const assignee = c.assigneeId ? users.get(c.assigneeId) : undefined;
  // Only colleagues who can read the note: operators of another team would be refused by the server.
  const mentionables = [...users.values()].filter(
    (u) =>
      u.active &&
      u.id !== me.user.id &&
      (c.teamId === null || u.role !== 'operator' || u.teamIds.includes(c.teamId)),
  );
  const w = win.data;
  // Closed by the server's word, or by the countdown reaching zero in this browser (before a refetch).
  const windowClosed = w !== undefined && (!w.open || clock.closed);
  // Past the standard window, a person's answer may still go with the provider's tag (HUMAN_AGENT).
  const tag = windowClosed ? usableTag(w, w.now + (Date.now() - win.dataUpdatedAt)) : null;
  const replyBlocked = elsewhere
    ? elsewhereBlock(t, fmt.dateTime, elsewhere)
    : channel && !channel.active
      ? t('composer.channelInactive')
      : tag && taggedReply
        ? null
        : tag
          ? t('composer.windowTagOffer', { tag: tag.name })
          : w && windowClosed
            ? w.reason === 'no_inbound'
              ? t('composer.windowNoInbound')
              : w.reason === 'opted_out'
                ? t('composer.optedOut')
                : t('composer.windowExpired', { time: fmt.dateTime(w.closesAt ?? w.now) })
            : null;
  const replyHint = elsewhere
    ? null
    : tag && taggedReply
      ? t('composer.windowTagHint', { tag: tag.name, time: fmt.dateTime(tag.closesAt) })
      : w?.open && !windowClosed && w.closesAt !== null
        ? t('composer.windowCloses', { time: fmt.dateTime(w.closesAt) })
        : null;

  const conversation = (
    <>
      <Stack
        gap={6}
        p="sm"
        style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
        data-testid="conversation-header"
      >
        <Group justify="space-between" wrap={compact ? 'wrap' : 'nowrap'} gap="xs">
          <Group gap="xs" wrap="nowrap" miw={0} style={{ flex: compact ? '1 1 100%' : undefined }}>
            {onBack && (
              <ActionIcon variant="subtle" onClick={onBack} aria-label={t('common.back')} data-testid="back">
                <BackIcon size={20} />
              </ActionIcon>
            )}
            <div style={{ minWidth: 0, flex: 1 }}>
              <Title order={2} size="h4" lineClamp={1} data-testid="conversation-contact">
                <bdi>{name}</bdi>
              </Title>
              <Group gap={6} wrap="nowrap">
                <ChannelIcon type={c.channel.type} title={c.channel.name} />
                <Text size="xs" c="dimmed" truncate>
                  {t('conv.viaChannel', { channel: c.channel.name })}
                </Text>
              </Group>
            </div>
            {compact && (
              <UnstyledButton
                onClick={actions.toggle}
                aria-expanded={actionsOpen}
                aria-label={t('common.menu')}
                style={{ flexShrink: 0 }}
              >
                <Badge variant="default">
                  <MoreIcon />
                </Badge>
              </UnstyledButton>
            )}
          </Group>
          <Group gap={6} wrap="nowrap">
            <AlsoViewing viewers={live.viewers} meId={me.user.id} />
            <ActionIcon
              variant="default"
              size="sm"
              onClick={leaveUnread}
              aria-label={t('conv.markUnread')}
              title={t('conv.markUnread')}
              data-testid="mark-unread"
            >
              <MailIcon size={14} />
            </ActionIcon>
            <ActionIcon
              variant="default"
              size="sm"
              onClick={contactColumn.fits ? contactColumn.toggle : contactPanel.open}
              aria-label={t('contact.open')}
              title={t('contact.open')}
              aria-pressed={contactColumn.fits ? contactColumn.shown : undefined}
              data-testid="open-contact"
            >
              <UserIcon size={14} />
            </ActionIcon>
            <Badge
              color={STATUS_COLOR[c.status]}
              variant="light"
              data-testid="conversation-status"
              data-status={c.status}
              style={{ flexShrink: 0 }}
            >
              {t(`status.single.${c.status}`)}
            </Badge>
            <Badge
              variant="light"
              color={c.assigneeId ? 'teal' : 'gray'}
              style={{ textTransform: 'none', flexShrink: 0 }}
              leftSection={assignee && <PresenceDot value={assignee.availability} size={8} />}
              title={assignee ? t(`presence.${assignee.availability}`) : undefined}
              data-testid="conversation-assignee"
            >
              {assigneeName(t, c.assigneeId, me.user.id, users)}
            </Badge>
          </Group>
        </Group>
        {unreadError !== null && (
          <Text size="xs" c="red" role="alert">
            {t('conv.markUnreadFailed', { reason: errorText(t, unreadError) })}
          </Text>
        )}
        {compact ? (
          <Collapse expanded={actionsOpen}>
            <ConversationActions conv={c} me={me} />
          </Collapse>
        ) : (
          <ConversationActions conv={c} me={me} />
        )}
      </Stack>
      {!contactColumn.fits && (
        <ContactPanel
          contactId={c.contact.id}
          conversationId={c.id}
          opened={contactOpen}
          onClose={contactPanel.close}
        />
      )}
      <TransferBanner conv={c} me={me} />
      <EarlierHistory contactId={c.contact.id} conversationId={id} />
      <SplitBar conversationId={id} />
      <MessageList
        conversationId={id}
        meId={me.user.id}
        onRetry={retry}
        onSeen={onSeen}
        focusId={focusMessageId}
      />
      <TypingIndicator typing={live.typing} meId={me.user.id} contactName={name} />
      {!elsewhere && w && !windowClosed && (
        <WindowCountdown remaining={clock.remaining} fallback={w.fallback} />
      )}
      {!elsewhere && w?.session && w.reason !== 'opted_out' && <SessionNotice session={w.session} />}
      {!elsewhere && tag && channel?.active !== false && (
        <TagExtension tag={tag} using={taggedReply} onUse={() => setTaggedReply(true)} />
      )}
      {!elsewhere &&
        w &&
        windowClosed &&
        !tag &&
        (w.reason === 'expired' || w.reason === 'no_inbound') &&
        channel?.active !== false && <TemplateFallback conversationId={id} fallback={w.fallback} />}
      {elsewhere?.active &&
        !elsewhere.window.open &&
        (elsewhere.window.reason === 'expired' || elsewhere.window.reason === 'no_inbound') && (
          <TemplateFallback
            key={elsewhere.channel.id}
            conversationId={id}
            channelId={elsewhere.channel.id}
            fallback={elsewhere.window.fallback}
            onSent={via.setSent}
          />
        )}
      <ReplyVia
        items={via.items}
        value={via.value}
        onChange={via.setVia}
        sent={via.sent}
        error={via.send.error}
      />
      {/* Not re-keyed on the window: a half-written reply and its files survive the window closing
          (Send is held with the reason) and the customer writing again. */}
      <Composer
        ref={composer}
        replyBlocked={replyBlocked}
        replyHint={replyHint}
        outbound={
          replyChannel?.outboundMedia
            ? {
                type: replyChannel.type,
                name: names.channel(replyChannel),
                media: replyChannel.outboundMedia,
              }
            : null
        }
        onSend={(o) =>
          // A note stays here; a reply goes where the operator chose.
          elsewhere && !o.private
            ? via.send.mutate({ ...o, channelId: elsewhere.channel.id }, { onSuccess: via.setSent })
            : send.mutate(o)
        }
        onTyping={onTyping}
        channelType={replyChannel?.type}
        mentionables={mentionables}
        templates={templates.data}
        renderTemplate={(templateId) => renderTemplate(templateId, id)}
      />
    </>
  );
  if (!contactColumn.shown) return conversation;
  return (
    <div style={{ display: 'flex', flex: 1, minHeight: 0 }}>
      <div style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column' }}>{conversation}</div>
      <ContactPanel
        mode="column"
        contactId={c.contact.id}
        conversationId={c.id}
        opened
        onClose={() => undefined}
      />
    </div>
  );
}
