import type { consoleEn } from './console.en.ts';

/** Русский текст рабочих инструментов консоли (вливается в ru.ts). */
export const consoleRu: Record<keyof typeof consoleEn, string> = {
  'row.waiting': 'Ожидание: {time}',
  'row.channel': 'Канал: {name}',
  'palette.title': 'Палитра команд',
  'palette.placeholder': 'Перейти к диалогу, контакту или экрану либо ввести команду…',
  'palette.results': 'Команды и результаты',
  'palette.empty': 'Ничего не найдено.',
  'palette.group.action': 'Этот диалог',
  'palette.group.conversation': 'Диалоги',
  'palette.group.contact': 'Контакты',
  'palette.group.screen': 'Экраны',
  'palette.addLabel': 'Добавить метку «{label}»',
  'palette.removeLabel': 'Снять метку «{label}»',
  'palette.move': 'выбор',
  'palette.run': 'выполнить',
  'palette.close': 'закрыть',
  'shortcuts.palette': 'Палитра команд: переход куда угодно, действия с диалогом',
  'density.label': 'Компактные строки',
  'density.hint': 'Больше диалогов на экране: на строку меньше в каждом',
  'search.filter.assignee': 'Исполнитель',
  'search.filter.anyone': 'Любой',
  'search.filter.label': 'Метка',
  'search.filter.from': 'С (день)',
  'search.filter.to': 'По (день включительно)',
  'search.filter.clear': 'Сбросить фильтры',
  'search.hit.status': 'Статус: {status}',
  'inboxSettings.assignOnReply': 'Ответ назначает диалог без исполнителя',
  'inboxSettings.assignOnReplyHint':
    'Для всей учётной записи: кто ответил в диалоге без исполнителя, тот и становится исполнителем, чтобы коллега не ответил второй раз. Заметки не считаются.',
};
