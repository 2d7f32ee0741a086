const en = {
  open: 'Open chat',
  close: 'Close chat',
  placeholder: 'Write a message…',
  send: 'Send',
  attach: 'Attach a file',
  typing: 'is typing…',
  someoneTyping: 'An operator is typing…',
  online: 'Online',
  offline: 'Offline',
  offlineNotice: 'We are offline right now. Leave a message and we will reply as soon as we can.',
  backAt: 'We will be back',
  welcome: 'Hi! How can we help you?',
  sending: 'Sending…',
  failed: 'Not sent. Tap to retry.',
  prechatIntro: 'Please introduce yourself so we can reply.',
  name: 'Name',
  email: 'E-mail',
  phone: 'Phone',
  optional: 'optional',
  start: 'Start the chat',
  tooLarge: 'The file is too large. Limit:',
  uploadLimit: 'No more files can be sent to this chat for now. Write your message, or try again later.',
  error: 'Something went wrong. Please try again.',
  reconnecting: 'Reconnecting…',
  you: 'You',
  file: 'File',
  unread: 'unread',
  poweredBy: 'Switchboard',
  rateStars: 'stars',
};

export type Strings = typeof en;

const ru: Strings = {
  open: 'Открыть чат',
  close: 'Закрыть чат',
  placeholder: 'Напишите сообщение…',
  send: 'Отправить',
  attach: 'Прикрепить файл',
  typing: 'печатает…',
  someoneTyping: 'Оператор печатает…',
  online: 'В сети',
  offline: 'Не в сети',
  offlineNotice: 'Сейчас мы не в сети. Оставьте сообщение — мы ответим, как только сможем.',
  backAt: 'Вернёмся',
  welcome: 'Здравствуйте! Чем можем помочь?',
  sending: 'Отправляется…',
  failed: 'Не отправлено. Нажмите, чтобы повторить.',
  prechatIntro: 'Представьтесь, пожалуйста, чтобы мы могли ответить.',
  name: 'Имя',
  email: 'Эл. почта',
  phone: 'Телефон',
  optional: 'необязательно',
  start: 'Начать чат',
  tooLarge: 'Файл слишком большой. Предел:',
  uploadLimit: 'Сейчас в этот чат нельзя отправить больше файлов. Напишите сообщение или попробуйте позже.',
  error: 'Что-то пошло не так. Попробуйте ещё раз.',
  reconnecting: 'Переподключение…',
  you: 'Вы',
  file: 'Файл',
  unread: 'непрочитанных',
  poweredBy: 'Switchboard',
  rateStars: 'звёзд(ы)',
};

export type Lang = 'en' | 'ru';
export const STRINGS: Record<Lang, Strings> = { en, ru };

/** `data-lang` wins; otherwise the browser's preferred languages; English by default. */
export function pickLanguage(attr: string | null | undefined, preferred: readonly string[]): Lang {
  const wanted = [attr ?? '', ...preferred].map((l) => l.toLowerCase().split('-')[0]);
  for (const l of wanted) if (l === 'ru' || l === 'en') return l;
  return 'en';
}

export function formatSize(bytes: number, lang: Lang): string {
  const units = lang === 'ru' ? ['Б', 'КБ', 'МБ'] : ['B', 'KB', 'MB'];
  let n = bytes;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n < 10 && i > 0 ? n.toFixed(1) : Math.round(n)} ${units[i]}`;
}

export function formatTime(ms: number, lang: Lang, withDay = false): string {
  const opts: Intl.DateTimeFormatOptions = withDay
    ? { weekday: 'short', hour: '2-digit', minute: '2-digit' }
    : { hour: '2-digit', minute: '2-digit' };
  try {
    return new Intl.DateTimeFormat(lang, opts).format(ms);
  } catch {
    return new Date(ms).toLocaleTimeString();
  }
}
