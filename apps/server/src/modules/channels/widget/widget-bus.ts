import type { VisitorMessage } from '@switchboard/shared';

/** Bus topic carrying what must reach visitors' sockets on whichever node holds them. */
export const WIDGET_TOPIC = 'sb:widget';

export type WidgetBusMessage =
  | { kind: 'message'; channelId: string; externalId: string; message: VisitorMessage }
  | { kind: 'typing'; channelId: string; externalId: string; typing: boolean; name: string | null }
  /** An admin forced the center (or a channel) online/offline: every node re-tells its visitors. */
  | { kind: 'center'; accountId: string };

/** Socket.IO path and event names between the server and the site widget. */
export const WIDGET_SOCKET_PATH = '/widget/socket.io';
export const WIDGET_SOCKET = {
  /** server → visitor: a message of the visitor's conversation (acknowledged by the widget). */
  message: 'message',
  /** server → visitor: an operator is typing. visitor → server: the visitor is typing (`{typing}`). */
  typing: 'typing',
  /** visitor → server: delivery/read receipts for operator messages. */
  receipt: 'receipt',
  /** server → visitor: the center's online state changed (`{online, offlineReason, nextOpenAt}`). */
  center: 'center',
  /** server → visitor: connected and authorised. */
  ready: 'ready',
} as const;

export const visitorRoom = (channelId: string, externalId: string) => `v:${channelId}:${externalId}`;
