/** What the bot subscribes to; `my_chat_member` tells when a customer blocks the bot. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'my_chat_member'];
