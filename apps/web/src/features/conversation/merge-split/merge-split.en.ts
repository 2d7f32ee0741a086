/** English text of merging and splitting conversations (spread into en.ts). */
export const mergeSplitEn = {
  'convMerge.open': 'Merge with…',
  'convMerge.title': 'Merge another conversation into this one',
  'convMerge.intro':
    'Pick one of this customer’s other conversations. Its messages move here with their original time and channel; it is then closed and points here.',
  'convMerge.none': 'This customer has no other conversation.',
  'convMerge.pick': 'Merge into this one',
  'convMerge.moves': '{count} message will move here|{count} messages will move here',
  'convMerge.result': 'This conversation will have: status {status}, labels {labels}',
  'convMerge.noLabels': 'none',
  'convMerge.rule':
    'The conversation you keep wins: its assignee, team, priority and attribute values stay; the other only fills what is empty. Labels are combined. Every message and private note moves with its original time and channel.',
  'convMerge.confirm': 'Merge',
  'convMerge.failed': 'Could not merge: {reason}',
  'convMerge.started': 'started {time}',
  'convSplit.open': 'Split',
  'convSplit.hint': 'Select the messages to move into a new conversation of this customer.',
  'convSplit.selected': '{count} selected',
  'convSplit.move': 'Move to a new conversation',
  'convSplit.select': 'Select message',
  'convSplit.failed': 'Could not split: {reason}',
  'error.not_same_contact': 'These conversations belong to different customers. Merge the customers first.',
  'error.cannot_move_all_messages': 'At least one message must stay in this conversation.',
  'error.nothing_selected': 'Select at least one message.',
  'error.message_not_in_conversation': 'A selected message is no longer in this conversation.',
  'error.conversation_merged': 'This conversation was merged into another one.',
};
