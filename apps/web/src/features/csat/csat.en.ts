/** English text of a channel's satisfaction survey settings (spread into i18n/en.ts). */
export const csatEn = {
  'csat.open': 'Satisfaction survey',
  'csat.title': 'Satisfaction survey: {channel}',
  'csat.intro':
    'When a conversation on this channel is resolved, the customer is asked to rate the help from 1 to 5. Where the channel has buttons they tap; elsewhere they answer with a digit or an emoji. The answer does not reopen the conversation.',
  'csat.enabled': 'Send the survey when a conversation is resolved',
  'csat.question.en': 'Question in English',
  'csat.question.ru': 'Question in Russian',
  'csat.questionHint': "The channel's routing language picks which text is sent.",
  'csat.reset': 'Default text',
  'csat.window': 'Accept answers for (hours)',
  'csat.windowHint': 'A rating, and then a comment, within this many hours after the survey counts.',
  'csat.saved': 'Saved.',
} as const;
