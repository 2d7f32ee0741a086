import type { mergeSplitEn } from './merge-split.en.ts';

/** Russian text of merging and splitting conversations (spread into ru.ts). */
export const mergeSplitRu: Record<keyof typeof mergeSplitEn, string> = {
  'convMerge.open': 'Объединить с…',
  'convMerge.title': 'Присоединить другое обращение к этому',
  'convMerge.intro':
    'Выберите другое обращение этого клиента. Его сообщения перейдут сюда с исходным временем и каналом, а само оно закроется и будет ссылаться сюда.',
  'convMerge.none': 'У этого клиента нет других обращений.',
  'convMerge.pick': 'Присоединить сюда',
  'convMerge.moves':
    'Сюда перейдёт {count} сообщение|Сюда перейдут {count} сообщения|Сюда перейдут {count} сообщений',
  'convMerge.result': 'У этого обращения будет: статус {status}, метки {labels}',
  'convMerge.noLabels': 'нет',
  'convMerge.rule':
    'Главное — обращение, которое остаётся: его исполнитель, команда, приоритет и значения полей сохраняются, другое только заполняет пустое. Метки объединяются. Каждое сообщение и заметка переходят со своим временем и каналом.',
  'convMerge.confirm': 'Объединить',
  'convMerge.failed': 'Не удалось объединить: {reason}',
  'convMerge.started': 'начато {time}',
  'convSplit.open': 'Разделить',
  'convSplit.hint': 'Отметьте сообщения, которые нужно перенести в новое обращение этого клиента.',
  'convSplit.selected': 'Выбрано: {count}',
  'convSplit.move': 'Перенести в новое обращение',
  'convSplit.select': 'Выбрать сообщение',
  'convSplit.failed': 'Не удалось разделить: {reason}',
  'error.not_same_contact': 'Эти обращения принадлежат разным клиентам. Сначала объедините клиентов.',
  'error.cannot_move_all_messages': 'В обращении должно остаться хотя бы одно сообщение.',
  'error.nothing_selected': 'Отметьте хотя бы одно сообщение.',
  'error.message_not_in_conversation': 'Отмеченного сообщения уже нет в этом обращении.',
  'error.conversation_merged': 'Это обращение объединено с другим.',
};
