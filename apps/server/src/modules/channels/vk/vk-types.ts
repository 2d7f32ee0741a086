import { z } from 'zod';

/**
 * Callback API shapes (API 5.199), as far as Switchboard reads them. Unknown fields are ignored; the
 * stored event keeps the whole body.
 */
const int = z.number().int();

export const vkPhotoSize = z.object({
  type: z.string().optional(),
  url: z.string().optional(),
  src: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
});

export const vkAttachment = z
  .object({
    type: z.string(),
  })
  .catchall(z.unknown());
export type VkAttachment = z.infer<typeof vkAttachment>;

/** `geo.coordinates` is an object in current versions, a "lat long" string in old ones. */
const vkGeo = z.object({
  type: z.string().optional(),
  coordinates: z.union([
    z.object({ latitude: z.coerce.number(), longitude: z.coerce.number() }),
    z
      .string()
      .regex(/^-?[\d.]+[ ,]+-?[\d.]+$/)
      .transform((c) => {
        const [latitude, longitude] = c.split(/[ ,]+/).map(Number);
        return { latitude: latitude!, longitude: longitude! };
      }),
  ]),
  place: z
    .object({ title: z.string().optional(), city: z.string().optional(), country: z.string().optional() })
    .optional(),
});

/** A message object: inbound (`message_new.object.message`), `message_reply`/`message_edit` objects, quotes. */
export interface VkMessage {
  id?: number;
  date?: number;
  update_time?: number;
  peer_id?: number;
  from_id?: number;
  text?: string;
  conversation_message_id?: number;
  random_id?: number;
  out?: number;
  admin_author_id?: number;
  attachments?: VkAttachment[];
  fwd_messages?: VkMessage[];
  reply_message?: VkMessage;
  geo?: z.output<typeof vkGeo>;
  payload?: string;
  ref?: string;
  ref_source?: string;
}

export const vkMessage: z.ZodType<VkMessage> = z.lazy(() =>
  z.object({
    id: int.optional(),
    date: int.optional(),
    update_time: int.optional(),
    peer_id: int.optional(),
    from_id: int.optional(),
    text: z.string().optional(),
    conversation_message_id: int.optional(),
    random_id: int.optional(),
    out: int.optional(),
    admin_author_id: int.optional(),
    attachments: z.array(vkAttachment).optional(),
    fwd_messages: z.array(vkMessage).optional(),
    reply_message: vkMessage.optional(),
    geo: vkGeo.optional(),
    payload: z.string().optional(),
    ref: z.string().optional(),
    ref_source: z.string().optional(),
  }),
);

/** Every Callback API request: `{type, event_id, v, object, group_id, secret}`. */
export const vkCallback = z.object({
  type: z.string().min(1),
  event_id: z.string().optional(),
  v: z.string().optional(),
  group_id: int.optional(),
  secret: z.string().optional(),
  object: z.unknown().optional(),
});
export type VkCallback = z.infer<typeof vkCallback>;

/** `message_new` since API 5.103: the message plus what the customer's app can show. */
export const vkMessageNew = z.object({
  message: vkMessage,
  client_info: z.unknown().optional(),
});

export const vkMessageAllow = z.object({ user_id: int, key: z.string().optional() });
export const vkMessageDeny = z.object({ user_id: int });

/** The events Switchboard stores; others are answered `ok` and dropped. */
export const HANDLED_EVENTS = new Set([
  'message_new',
  'message_edit',
  'message_reply',
  'message_allow',
  'message_deny',
]);

/** Peer ids from 2000000000 are group chats (2000000000 + chat id). */
export const CHAT_PEER_BASE = 2_000_000_000;
