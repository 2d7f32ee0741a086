import type { notificationsEn } from './notifications.en.ts';

/** Русский текст колокольчика уведомлений и уведомлений на рабочем столе (входит в i18n/ru.ts). */
export const notificationsRu: Record<keyof typeof notificationsEn, string> = {
  'notifications.title': 'Уведомления',
  'notifications.open': 'Уведомления',
  'notifications.openUnread': 'Уведомления: непрочитанных {count}',
  'notifications.readAll': 'Прочитать все',
  'notifications.empty': 'Пока ничего. Уведомление придёт, когда коллега упомянет вас в заметке.',
  'notifications.mentioned': '{name} упоминает вас',
  'notifications.transferred': '{name} передаёт вам диалог',
  'notifications.mentionRefused': 'упомянутый коллега не видит этот диалог',
};
