import { randomBytes } from 'node:crypto';
import type { ChannelCapabilities } from '@switchboard/shared';
import { z } from 'zod';
import type { AppContext } from '../../src/app-context.ts';
import { AppError } from '../../src/http/errors.ts';
import { hmacSha256Hex, safeEqual } from '../../src/infra/crypto/hmac.ts';
import type { ChannelAdapter, InboundEvent } from '../../src/modules/channels/channel-adapter.ts';
import { parseRetryAfter } from '../../src/infra/net/retry-after.ts';
import { PermanentError, RetryableError } from '../../src/worker/job-errors.ts';

/**
 * A fictional eighth channel, "Carrier pigeon": everything about it lives in this folder, and a test
 * registers it the way channel-registry.ts would. Its provider signs webhooks with HMAC-SHA256 over the
 * body, has a 48-hour window that an `URGENT` tag stretches to 5 days where the admin enabled it, and
 * addresses customers by their loft number.
 */
export const PIGEON_SIGNATURE_HEADER = 'x-pigeon-signature';

const settingsSchema = z.object({
  loftId: z
    .string()
    .trim()
    .regex(/^L\d{3,9}$/, 'a loft id like L1234')
    .meta({ label: { en: 'Loft ID', ru: 'Номер голубятни' } }),
  ringKey: z
    .string()
    .min(8)
    .meta({ label: { en: 'Ring key', ru: 'Ключ кольца' }, secret: true, requiredOnCreate: true })
    .optional(),
  urgentTag: z
    .boolean()
    .meta({ label: { en: 'URGENT tag allowed', ru: 'Разрешена метка URGENT' } })
    .optional(),
  apiBaseUrl: z
    .string()
    .url()
    .meta({ label: { en: 'Pigeon post API', ru: 'API голубиной почты' }, advanced: true })
    .optional(),
});

export const pigeonCapabilities: ChannelCapabilities = {
  window: {
    providerWindowMs: 48 * 3_600_000,
    defaultWindow: { unit: 'hours', value: 48 },
    unlimitedAllowed: false,
    templates: false,
    tags: [{ tag: 'URGENT', windowMs: 5 * 86_400_000, enabledBy: 'urgentTag' }],
    optInLifts: false,
  },
  consentScope: 'pigeon',
  addressing: {
    format: 'integer',
    importable: true,
    phone: false,
    example: '4711',
    noun: { en: 'loft number', ru: 'номер голубятни' },
  },
  outbound: {
    contentKinds: ['text'],
    textMaxLength: 140,
    media: { rules: [{ kind: 'image', mimeTypes: ['image/png'], maxBytes: 50_000 }], maxTotalBytes: null },
  },
  features: {
    edits: false,
    deletions: false,
    reactions: false,
    deliveryReceipts: true,
    readReceipts: false,
    typing: false,
    buttons: false,
  },
};

const note = z.object({
  id: z.string().min(1).max(100),
  loft: z.number().int(),
  name: z.string().max(200).optional(),
  at: z.number().int(),
  text: z.string().max(1000).optional(),
  drawing: z.object({ url: z.string().url(), mime: z.string() }).optional(),
});
const receipt = z.object({
  messageId: z.string().min(1),
  status: z.enum(['sent', 'delivered']),
  at: z.number(),
});
const delivery = z.union([z.object({ note }), z.object({ receipt })]);

export const pigeonAdapter: ChannelAdapter = {
  type: 'pigeon',
  label: { en: 'Carrier pigeon', ru: 'Почтовый голубь' },
  providerName: 'Pigeon Post',
  settingsSchema,
  capabilities: pigeonCapabilities,

  async prepare(input, existing) {
    const s = settingsSchema.parse(input);
    const ringKey = s.ringKey ?? existing?.credentials.ringKey;
    if (!ringKey) throw new AppError('validation_error', 'settings.ringKey: required');
    return {
      settings: {
        loftId: s.loftId,
        urgentTag: s.urgentTag === true,
        ...(s.apiBaseUrl ? { apiBaseUrl: s.apiBaseUrl } : {}),
      },
      credentials: { ringKey, nonce: existing?.credentials.nonce ?? randomBytes(8).toString('hex') },
    };
  },

  describe: (_channel, webhookUrl) => ({ webhookUrl, signatureHeader: 'X-Pigeon-Signature' }),

  handleWebhook(req, channel) {
    const sig = req.headers[PIGEON_SIGNATURE_HEADER];
    const expected = hmacSha256Hex(channel.credentials.ringKey ?? '', req.rawBody);
    if (typeof sig !== 'string' || !safeEqual(sig, expected))
      throw new AppError('invalid_signature', 'Missing or wrong X-Pigeon-Signature');
    const parsed = delivery.safeParse(JSON.parse(req.rawBody.toString('utf8')));
    if (!parsed.success) throw new AppError('validation_error', 'Not a pigeon delivery');
    const d = parsed.data;
    const id = 'note' in d ? `note:${d.note.id}` : `receipt:${d.receipt.messageId}:${d.receipt.status}`;
    return {
      events: [
        { providerEventId: id, payload: d, ...('note' in d ? { orderKey: String(d.note.loft) } : {}) },
      ],
      response: { status: 200, body: { ok: true } },
    };
  },

  parse(payload): InboundEvent[] {
    const d = delivery.parse(payload);
    if ('receipt' in d)
      return [{ kind: 'status', providerMessageId: d.receipt.messageId, status: d.receipt.status }];
    const n = d.note;
    return [
      {
        kind: 'message',
        providerMessageId: n.id,
        contact: { externalId: String(n.loft), name: n.name ?? null },
        contentKind: n.drawing ? 'image' : 'text',
        text: n.text ?? null,
        attachments: n.drawing ? [{ kind: 'image', url: n.drawing.url, mimeType: n.drawing.mime }] : [],
        providerTs: n.at,
      },
    ];
  },

  async send(ctx: AppContext, channel, message) {
    const base = String(channel.settings.apiBaseUrl ?? 'https://api.pigeon.example');
    let res: Response;
    try {
      res = await ctx.fetch(`${base}/lofts/${channel.settings.loftId}/notes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Ring ${channel.credentials.ringKey}` },
        body: JSON.stringify({ to: Number(message.contactExternalId), text: message.text ?? '' }),
      });
    } catch (err) {
      throw new RetryableError(`The pigeon post is unreachable: ${(err as Error).message}`);
    }
    const body = (await res.json().catch(() => ({}))) as { id?: string; error?: string };
    if (res.ok && body.id) return { providerMessageId: body.id };
    if (res.status === 429 || res.status >= 500)
      throw new RetryableError(
        `The pigeon post is busy (${res.status})`,
        parseRetryAfter(res.headers.get('retry-after'), ctx.clock.now()),
      );
    if (body.error === 'window')
      throw new PermanentError(
        'The customer last wrote more than 48 hours ago; no pigeon may fly',
        'window_closed',
      );
    throw new PermanentError(`The pigeon post refused the note: ${body.error ?? res.status}`, 'rejected');
  },
};
