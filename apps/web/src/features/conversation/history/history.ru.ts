import type { historyEn } from './history.en.ts';

/** Русские тексты единой истории: прежние обращения во всех каналах и ответ в другом канале. */
export const historyRu: Record<keyof typeof historyEn, string> = {
  'history.show': 'Прежние обращения во всех каналах',
  'history.hide': 'Скрыть прежние обращения',
  'history.empty': 'Прежних обращений этого клиента нет.',
  'history.more': 'Показать более ранние',
  'history.open': 'Открыть',
  'history.conversation': '{channel} · начато {date}',
  'history.note': 'Заметка',
  'replyVia.label': 'Ответить через',
  'replyVia.here': '{channel} (это обращение)',
  'replyVia.templatesOnly': '{channel} — только шаблоны',
  'replyVia.closed': '{channel} — сейчас нельзя',
  'replyVia.optedOut': '{channel} — клиент отказался',
  'replyVia.inactive': '{channel} — отключён',
  'replyVia.new': 'В канале «{channel}» откроется новое обращение клиента.',
  'replyVia.windowExpired':
    'Окно переписки в канале «{channel}» закрылось {time}: клиент должен сначала написать туда сам.',
  'replyVia.windowNoInbound':
    'Клиент не писал в канал «{channel}», а этот канал не позволяет компании писать первой.',
  'replyVia.optedOutText':
    'Клиент отказался от сообщений в канале «{channel}». Туда ничего нельзя отправить.',
  'replyVia.inactiveText': 'Канал «{channel}» отключён: туда ничего не доставить.',
  'replyVia.sent': 'Отправлено в канал «{channel}».',
  'replyVia.openSent': 'Открыть это обращение',
};
