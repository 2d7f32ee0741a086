/** English text of "Transfer with a comment" (spread into i18n/en.ts). */
export const transferEn = {
  'transfer.open': 'Transfer…',
  'transfer.title': 'Transfer the conversation',
  'transfer.intro': 'Choose an operator, a team or both, and say what they need to know. They see it first.',
  'transfer.operator': 'Operator',
  'transfer.anyone': 'Keep the assignee',
  'transfer.team': 'Team',
  'transfer.sameTeam': 'Keep the team',
  'transfer.note': 'Comment',
  'transfer.notePlaceholder': 'What has been done, what is left…',
  'transfer.submit': 'Transfer',
  'transfer.banner': '{name} handed this conversation over · {time}',
} as const;
