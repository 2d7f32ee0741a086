import { z } from 'zod';

/**
 * The parts of Bot API objects Switchboard reads (https://core.telegram.org/bots/api#available-types).
 * Unknown fields are dropped, unknown update and message kinds pass through untouched.
 */
export const tgUser = z.object({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

export const tgChat = z.object({
  id: z.number().int(),
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
  title: z.string().optional(),
  username: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});

const file = {
  file_id: z.string().min(1),
  file_unique_id: z.string(),
  file_size: z.number().int().nonnegative().optional(),
};
const mediaFile = z.object({
  ...file,
  duration: z.number().optional(),
  mime_type: z.string().optional(),
  file_name: z.string().optional(),
});

const location = z.object({
  latitude: z.number(),
  longitude: z.number(),
  horizontal_accuracy: z.number().optional(),
  live_period: z.number().optional(),
});

export const tgMessage = z.object({
  message_id: z.number().int(),
  message_thread_id: z.number().int().optional(),
  from: tgUser.optional(),
  sender_chat: tgChat.optional(),
  chat: tgChat,
  date: z.number().int(),
  edit_date: z.number().int().optional(),
  media_group_id: z.string().optional(),
  reply_to_message: z.object({ message_id: z.number().int() }).optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(z.object({ ...file, width: z.number(), height: z.number() })).optional(),
  video: mediaFile.optional(),
  video_note: mediaFile.optional(),
  animation: mediaFile.optional(),
  voice: mediaFile.optional(),
  audio: mediaFile.extend({ performer: z.string().optional(), title: z.string().optional() }).optional(),
  document: mediaFile.optional(),
  sticker: z
    .object({
      ...file,
      type: z.string().optional(),
      is_animated: z.boolean().optional(),
      is_video: z.boolean().optional(),
      emoji: z.string().optional(),
      set_name: z.string().optional(),
    })
    .optional(),
  location: location.optional(),
  venue: z.object({ location, title: z.string(), address: z.string() }).optional(),
  contact: z
    .object({
      phone_number: z.string(),
      first_name: z.string(),
      last_name: z.string().optional(),
      user_id: z.number().int().optional(),
      vcard: z.string().optional(),
    })
    .optional(),
});
export type TgMessage = z.infer<typeof tgMessage>;

const inlineButton = z.object({ text: z.string(), callback_data: z.string().optional() });

/**
 * `CallbackQuery`: a tap on an inline-keyboard button. `message` is the bot's message the keyboard is on
 * (a `MaybeInaccessibleMessage`: only id, chat and date are sure); `data` is the button's callback_data
 * (absent for game buttons).
 */
export const tgCallbackQuery = z.object({
  id: z.string().min(1),
  from: tgUser,
  message: z
    .object({
      message_id: z.number().int(),
      chat: tgChat,
      date: z.number().int(),
      reply_markup: z.object({ inline_keyboard: z.array(z.array(inlineButton)) }).optional(),
    })
    .optional(),
  inline_message_id: z.string().optional(),
  chat_instance: z.string(),
  data: z.string().optional(),
});
export type TgCallbackQuery = z.infer<typeof tgCallbackQuery>;

export const tgUpdate = z.object({
  update_id: z.number().int().nonnegative(),
  message: tgMessage.optional(),
  edited_message: tgMessage.optional(),
  callback_query: tgCallbackQuery.optional(),
});
export type TgUpdate = z.infer<typeof tgUpdate>;

/**
 * The same Update with each message's fields left whole: `tgMessage` keeps only the fields we read,
 * but service messages and kinds we cannot show are told apart by which other field is present.
 */
export const tgUpdateFields = z.object({
  message: z.record(z.string(), z.unknown()).optional(),
  edited_message: z.record(z.string(), z.unknown()).optional(),
});

/** `File` from getFile. */
export interface TgFile {
  file_id: string;
  file_unique_id: string;
  file_size?: number;
  file_path?: string;
}

/** `Message` as the send methods answer it (only what we keep). */
export interface TgSentMessage {
  message_id: number;
  chat: { id: number };
}
