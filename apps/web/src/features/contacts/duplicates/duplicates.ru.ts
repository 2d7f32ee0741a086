import type { duplicatesEn } from './duplicates.en.ts';

/** Русский текст подсказок о дублях и объединения контактов (входит в i18n/ru.ts). */
export const duplicatesRu: Record<keyof typeof duplicatesEn, string> = {
  'dup.title': 'Возможные дубли',
  'dup.open': 'Возможные дубли',
  'dup.none': 'Ни у кого больше нет такого телефона или почты.',
  'dup.noneAll': 'Контактов с одинаковым телефоном или почтой нет.',
  'dup.reason.phone': 'тот же телефон',
  'dup.reason.email': 'та же почта',
  'dup.group.phone': 'Телефон {key}',
  'dup.group.email': 'Почта {key}',
  'dup.merge': 'Объединить',
  'dup.mergeHere': 'Объединить в «{name}»',
  'dup.keep': 'остаётся',
  'dup.mergeTitle': 'Объединение контактов',
  'dup.rule':
    'Побеждает контакт, который остаётся: его имя, телефон, почта и атрибуты сохраняются, второй только заполняет пустое. Метки объединяются; отказ от сообщений с любой стороны сохраняется. Диалоги, каналы и заметки переходят к оставшемуся контакту. Отменить можно в течение суток.',
  'dup.field': 'Поле',
  'dup.kept': 'Остаётся',
  'dup.other': 'Уходит',
  'dup.result': 'Итог',
  'dup.conflict': 'расхождение',
  'dup.moves': 'Перейдут: каналов {identities}, диалогов {conversations}, заметок {notes}',
  'dup.confirm': 'Объединить',
  'dup.merged': 'Объединено.',
  'dup.truncated': 'Показаны только первые группы.',
  'dup.settings': 'Сравнение контактов',
  'dup.country': 'Страна по умолчанию (код ISO, например RU)',
  'dup.countryHelp': 'Номера без + читаются как номера этой страны.',
  'dup.autoMerge': 'Объединять автоматически, когда провайдер подтверждает телефон (WhatsApp, SMS, Telegram)',
  'dup.saved': 'Сохранено',
  'dup.unnamed': 'Без имени',
};
