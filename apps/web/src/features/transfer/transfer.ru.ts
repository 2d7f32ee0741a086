import type { transferEn } from './transfer.en.ts';

/** Русский текст «Передать с комментарием» (входит в i18n/ru.ts). */
export const transferRu: Record<keyof typeof transferEn, string> = {
  'transfer.open': 'Передать…',
  'transfer.title': 'Передать диалог',
  'transfer.intro':
    'Выберите оператора, команду или обоих и напишите, что им нужно знать. Они увидят это первым.',
  'transfer.operator': 'Оператор',
  'transfer.anyone': 'Оставить исполнителя',
  'transfer.team': 'Команда',
  'transfer.sameTeam': 'Оставить команду',
  'transfer.note': 'Комментарий',
  'transfer.notePlaceholder': 'Что уже сделано, что осталось…',
  'transfer.submit': 'Передать',
  'transfer.banner': '{name} передаёт вам этот диалог · {time}',
};
