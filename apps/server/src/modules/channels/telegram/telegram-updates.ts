/**
 * What the bot subscribes to; `my_chat_member` tells when a customer blocks the bot, `callback_query`
 * when they tap one of our inline-keyboard buttons.
 */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'my_chat_member', 'callback_query'];
