/** English text of One history: earlier conversations on every channel and replying on another (spread into en.ts). */
export const historyEn = {
  'history.show': 'Earlier conversations on all channels',
  'history.hide': 'Hide earlier conversations',
  'history.empty': 'No earlier conversations with this customer.',
  'history.more': 'Show older',
  'history.open': 'Open',
  'history.conversation': '{channel} · started {date}',
  'history.note': 'Note',
  'replyVia.label': 'Reply via',
  'replyVia.here': '{channel} (this conversation)',
  'replyVia.templatesOnly': '{channel} — templates only',
  'replyVia.closed': '{channel} — not now',
  'replyVia.optedOut': '{channel} — opted out',
  'replyVia.inactive': '{channel} — deactivated',
  'replyVia.new': 'A new conversation with the customer opens on {channel}.',
  'replyVia.windowExpired':
    'The messaging window on {channel} closed at {time}: the customer has to write there first.',
  'replyVia.windowNoInbound':
    'The customer has not written on {channel}, and it does not let the business write first.',
  'replyVia.optedOutText': 'The customer opted out of messages on {channel}. Nothing can be sent there.',
  'replyVia.inactiveText': '{channel} is deactivated: nothing can be delivered there.',
  'replyVia.sent': 'Sent on {channel}.',
  'replyVia.openSent': 'Open that conversation',
} as const;
