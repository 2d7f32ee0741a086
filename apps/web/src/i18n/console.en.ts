/** English text of the console's working tools: list rows, palette, contact column, density (spread into en.ts). */
export const consoleEn = {
  'row.waiting': 'Waiting: {time}',
  'row.channel': 'Channel: {name}',
} as const;
