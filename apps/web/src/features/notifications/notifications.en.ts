/** English text of the notifications bell and desktop notifications (spread into i18n/en.ts). */
export const notificationsEn = {
  'notifications.title': 'Notifications',
  'notifications.open': 'Notifications',
  'notifications.openUnread': 'Notifications: {count} unread',
  'notifications.readAll': 'Mark all read',
  'notifications.empty': 'Nothing yet. You are notified when a colleague mentions you in a note.',
  'notifications.mentioned': '{name} mentioned you',
  'notifications.transferred': '{name} handed a conversation to you',
  'notifications.mentionRefused': 'a colleague you mentioned cannot see this conversation',
} as const;
