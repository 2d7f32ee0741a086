import type { mentionsEn } from './mentions.en.ts';

/** Русские тексты раздела «Отчёты › Кто упоминал» (входят в i18n/ru.ts). */
export const mentionsRu: Record<keyof typeof mentionsEn, string> = {
  'mentions.title': 'Кто упоминал…',
  'mentions.open': 'Кто упоминал…',
  'mentions.back': 'Назад к отчётам',
  'mentions.query': 'Слово или фраза',
  'mentions.queryHint': 'Считаются все формы слова (заказ, заказа, заказы); фразу возьмите в кавычки.',
  'mentions.direction': 'Кто писал',
  'mentions.direction.in': 'Клиенты',
  'mentions.direction.out': 'Операторы',
  'mentions.prompt': 'Введите слово или фразу, чтобы увидеть, кто их упоминал.',
  'mentions.totals': 'Сообщений: {messages}, разговоров: {conversations}, клиентов: {customers}',
  'mentions.chart': 'Упоминания по дням',
  'mentions.series.messages': 'Сообщения',
  'mentions.series.customers': 'Клиенты',
  'mentions.customers': 'Клиенты',
  'mentions.col.customer': 'Клиент',
  'mentions.col.contact': 'Телефон или почта',
  'mentions.col.messages': 'Сообщений',
  'mentions.col.conversations': 'Разговоров',
  'mentions.col.last': 'Последнее упоминание',
  'mentions.none': 'За этот период никто этого не упоминал.',
  'mentions.more': 'Показаны первые {shown} из {total} клиентов; в файле все.',
  'mentions.export': 'Скачать клиентов (CSV)',
  'mentions.timeZone': 'Дни по часовому поясу аккаунта: {tz}',
};
