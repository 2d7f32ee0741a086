import type { consoleEn } from './console.en.ts';

/** Русский текст рабочих инструментов консоли (вливается в ru.ts). */
export const consoleRu: Record<keyof typeof consoleEn, string> = {
  'row.waiting': 'Ожидание: {time}',
  'row.channel': 'Канал: {name}',
};
