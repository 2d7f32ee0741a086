import { contactLabel } from '@switchboard/shared';
import { CONTENT_KINDS, type ContentKind } from '@switchboard/shared';
import { Avatar, Badge, Group, Text } from '@mantine/core';
import { memo } from 'react';
import type { Conversation, User } from '../../api/types.ts';
import { type Translate, useI18n } from '../../i18n/i18n.tsx';
import { initials } from '../../layout/shell.tsx';
import type { Density } from '../../lib/density.ts';
import { ChannelIcon } from './channel-icon.tsx';
import { SlaBadge } from './sla-badge.tsx';
import { WaitingBadge } from './waiting-badge.tsx';

/** Row heights of the virtual list: the comfortable row has a preview line, the compact one not. */
export const ROW_HEIGHTS = { comfortable: 92, compact: 58 } as const;

const PRIORITY_COLOR = {
  none: 'gray',
  low: 'gray',
  medium: 'yellow',
  high: 'orange',
  urgent: 'red',
} as const;

/** The server writes "[image]" as the preview of a message without text; say it in the UI language. */
export function previewText(t: Translate, preview: string | null): string {
  if (!preview) return '';
  const m = /^\[(\w+)\]$/.exec(preview);
  if (m && CONTENT_KINDS.includes(m[1] as ContentKind)) return t(`kind.${m[1] as ContentKind}`);
  return preview;
}

export function assigneeName(t: Translate, id: string | null, meId: string, users: Map<string, User>) {
  if (id === null) return t('inbox.unassigned');
  if (id === meId) return t('inbox.you');
  return users.get(id)?.name ?? t('inbox.operator');
}

interface Props {
  conv: Conversation;
  active: boolean;
  meId: string;
  users: Map<string, User>;
  /** Customer messages this operator has not read (0: none, or the conversation is open). */
  unread: number;
  href: string;
  density: Density;
  onOpen(id: string): void;
}

export const ConversationRow = memo(function ConversationRow({
  conv,
  active,
  meId,
  users,
  unread,
  href,
  density,
  onOpen,
}: Props) {
  const { t, fmt, lang } = useI18n();
  const name = contactLabel(conv.contact, lang);
  const compact = density === 'compact';
  return (
    <a
      className="sb-row"
      href={href}
      data-active={active}
      data-density={density}
      data-testid="conversation-row"
      data-conversation-id={conv.id}
      aria-current={active ? 'true' : undefined}
      onClick={(e) => {
        // Ctrl/Cmd-click opens a new tab as any link would.
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        onOpen(conv.id);
      }}
      style={{
        display: 'block',
        height: ROW_HEIGHTS[density],
        padding: compact ? '6px 12px' : '10px 12px',
        boxSizing: 'border-box',
        color: 'inherit',
        textDecoration: 'none',
      }}
    >
      <Group wrap="nowrap" align="flex-start" gap="sm" h="100%">
        {!compact && (
          <Avatar radius="xl" color="blue" size={40} aria-hidden>
            {initials(conv.contact.name)}
          </Avatar>
        )}
        <div style={{ flex: 1, minWidth: 0 }}>
          <Group justify="space-between" wrap="nowrap" gap={6}>
            <Group gap={6} wrap="nowrap" miw={0}>
              <Text fw={unread > 0 ? 700 : 600} size="sm" truncate data-testid="row-contact">
                <bdi>{name}</bdi>
              </Text>
            </Group>
            <Group gap={6} wrap="nowrap">
              {unread > 0 && (
                <Badge
                  size="sm"
                  color="blue"
                  variant="filled"
                  circle={unread < 10}
                  data-testid="row-unread"
                  aria-label={t('inbox.unreadCount', { count: fmt.number(unread) })}
                  title={t('inbox.unreadCount', { count: fmt.number(unread) })}
                  style={{ flexShrink: 0, overflow: 'visible' }}
                >
                  {unread > 99 ? '99+' : fmt.number(unread)}
                </Badge>
              )}
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                <time dateTime={new Date(conv.lastActivityAt).toISOString()}>
                  {fmt.when(conv.lastActivityAt)}
                </time>
              </Text>
            </Group>
          </Group>
          {!compact && (
            <Text
              size="sm"
              c={unread > 0 ? undefined : 'dimmed'}
              truncate
              dir="auto"
              data-testid="row-preview"
            >
              {previewText(t, conv.lastMessagePreview)}
            </Text>
          )}
          <Group gap={4} wrap="nowrap" mt={4} style={{ overflow: 'hidden' }}>
            <Group
              gap={4}
              wrap="nowrap"
              miw={0}
              data-testid="row-channel"
              data-channel-type={conv.channel.type}
              title={t('row.channel', { name: conv.channel.name })}
              style={{ flexShrink: 1, maxWidth: 140 }}
            >
              <ChannelIcon type={conv.channel.type} title={conv.channel.name} decorative />
              <Text size="xs" c="gray.7" truncate>
                {conv.channel.name}
              </Text>
            </Group>
            <Badge
              size="xs"
              variant="light"
              color={conv.assigneeId ? 'teal' : 'gray'}
              style={{ textTransform: 'none', flexShrink: 0 }}
              data-testid="row-assignee"
            >
              {assigneeName(t, conv.assigneeId, meId, users)}
            </Badge>
            {conv.priority !== 'none' && (
              <Badge size="xs" color={PRIORITY_COLOR[conv.priority]} style={{ flexShrink: 0 }}>
                {t(`priority.${conv.priority}`)}
              </Badge>
            )}
            {conv.labels.map((l) => (
              <Badge key={l} size="xs" variant="outline" style={{ textTransform: 'none', flexShrink: 0 }}>
                {l}
              </Badge>
            ))}
            {/* Status marks on the right: the wait, and room for more (an SLA clock) beside it. */}
            <Group gap={6} wrap="nowrap" ml="auto" pl={4} data-slot="row-status" style={{ flexShrink: 0 }}>
              {conv.sla && <SlaBadge sla={conv.sla} />}
              {conv.waitingSince !== null && <WaitingBadge since={conv.waitingSince} />}
            </Group>
          </Group>
        </div>
      </Group>
    </a>
  );
});
