import { z } from 'zod';

/**
 * Cloud API webhook shapes (object `whatsapp_business_account`, field `messages`). Only the fields
 * Switchboard reads are listed; unknown ones are dropped and unknown message types pass through.
 */
const media = z.object({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
});

export const waMessage = z.object({
  id: z.string().min(1),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  timestamp: z.string(),
  type: z.string(),
  context: z
    .object({ id: z.string().optional(), from: z.string().optional(), forwarded: z.boolean().optional() })
    .optional(),
  text: z.object({ body: z.string() }).optional(),
  image: media.optional(),
  video: media.optional(),
  audio: media.optional(),
  document: media.optional(),
  sticker: media.optional(),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
      url: z.string().optional(),
    })
    .optional(),
  contacts: z
    .array(
      z.object({
        name: z.object({ formatted_name: z.string().optional() }).optional(),
        phones: z
          .array(
            z.object({
              phone: z.string().optional(),
              wa_id: z.string().optional(),
              type: z.string().optional(),
            }),
          )
          .optional(),
        emails: z.array(z.object({ email: z.string().optional() })).optional(),
      }),
    )
    .optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z
        .object({ id: z.string(), title: z.string(), description: z.string().optional() })
        .optional(),
      nfm_reply: z
        .object({
          name: z.string().optional(),
          body: z.string().optional(),
          response_json: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
  button: z.object({ payload: z.string().optional(), text: z.string() }).optional(),
  reaction: z.object({ message_id: z.string(), emoji: z.string().optional() }).optional(),
  referral: z
    .object({
      source_url: z.string().optional(),
      source_type: z.string().optional(),
      headline: z.string().optional(),
      ctwa_clid: z.string().optional(),
    })
    .optional(),
  errors: z.array(z.object({ code: z.number(), title: z.string().optional() })).optional(),
  /** `type: unsupported`: what the customer sent (e.g. `poll_update`), when Meta says. */
  unsupported: z.object({ type: z.string().optional() }).optional(),
});
export type WaMessage = z.infer<typeof waMessage>;

/**
 * `type: edit` (WhatsApp Business app numbers on Cloud API, "coexistence"): the new version of an earlier
 * customer message, as a message object of its own type (text, or media with a caption).
 */
export const waEdit = z.object({
  original_message_id: z.string().min(1),
  message: z.looseObject({ type: z.string() }),
});

/** `type: revoke` (coexistence numbers): the customer deleted an earlier message for everyone. */
export const waRevoke = z.object({ original_message_id: z.string().min(1) });

export const waStatus = z.object({
  id: z.string().min(1),
  status: z.string(),
  timestamp: z.string().optional(),
  recipient_id: z.string().optional(),
  errors: z
    .array(
      z.object({
        code: z.number(),
        title: z.string().optional(),
        message: z.string().optional(),
        error_data: z.object({ details: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});
export type WaStatus = z.infer<typeof waStatus>;

export const waContact = z.object({
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
  profile: z.object({ name: z.string().optional() }).optional(),
});

export const waChangeValue = z.object({
  messaging_product: z.string().optional(),
  metadata: z.object({ phone_number_id: z.string(), display_phone_number: z.string().optional() }),
  contacts: z.array(waContact).optional(),
  messages: z.array(z.looseObject({ id: z.string().min(1) })).optional(),
  statuses: z.array(z.looseObject({ id: z.string().min(1), status: z.string() })).optional(),
});

export const waEnvelope = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: z.string().optional(),
      changes: z.array(z.object({ field: z.string(), value: z.unknown() })).default([]),
    }),
  ),
});

/** What one stored provider event holds: a message with its sender's profile, or a status. */
export type WaStoredEvent =
  | { kind: 'message'; contact: z.infer<typeof waContact> | null; message: unknown }
  | { kind: 'status'; status: unknown };
