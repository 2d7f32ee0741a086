import type { accountsEn } from './accounts.en.ts';

/** Русский текст переключателя аккаунтов и статуса при входе. */
export const accountsRu: Record<keyof typeof accountsEn, string> = {
  'accounts.switchTo': 'Перейти в аккаунт',
  'accounts.current': 'Текущий аккаунт: {name}',
  'accounts.codeTitle': 'Переход в {name}',
  'accounts.codeHint':
    'Аккаунт «{name}» требует второй фактор. Введите 6-значный код из приложения-аутентификатора.',
  'accounts.switch': 'Перейти',
  'admin.users.signInPresence': 'Статус оператора при входе',
  'admin.users.signInPresenceHint':
    'Каким станет статус оператора, когда он входит в консоль. «Как был» оставляет статус, выбранный им в прошлый раз.',
  'admin.users.signInPresence.online': 'В сети',
  'admin.users.signInPresence.away': 'Отошёл',
  'admin.users.signInPresence.offline': 'Не в сети',
  'admin.users.signInPresence.unchanged': 'Как был',
};
