import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { SandboxServer, sendJson } from './http-kit.ts';
import { PHONE_PAGE } from './phone-page.ts';
import type { TelegramSandbox, TgCustomer } from './telegram-sandbox.ts';
import type { TwilioSandbox } from './twilio-sandbox.ts';
import type { MetaSandbox } from './meta-sandbox.ts';
import type { VkSandbox } from './vk-sandbox.ts';
import type { ViberSandbox } from './viber-sandbox.ts';
import type { VonageSandbox } from './vonage-sandbox.ts';
import type { ChatLine, WhatsAppSandbox } from './whatsapp-sandbox.ts';
import { DEMO_SUPPORT_ADDRESS, type EmailSandbox } from './email-sandbox.ts';
import { SAMPLE_PHOTO, SAMPLE_PHOTO_TYPE } from './sample-photo.ts';

export const DEMO_TELEGRAM_CUSTOMER: TgCustomer = {
  id: 700_000_001,
  first_name: 'Anna',
  last_name: 'Petrova',
  username: 'anna_petrova',
  language_code: 'en',
};
export const DEMO_WHATSAPP_CUSTOMER = { waId: '15550123456', name: 'Carlos Mendes' };
export const DEMO_SMS_CUSTOMER = '+15550123457';
/** The Messenger and Instagram customer's name (one person, on both). */
export const DEMO_META_CUSTOMER_NAME = 'Sofia Rossi';
/** The demo customer's page-scoped id on Messenger and Instagram-scoped id on Instagram. */
export const DEMO_MESSENGER_PSID = '7012345678901234';
export const DEMO_INSTAGRAM_IGSID = '5712345678901234';
export const DEMO_VK_CUSTOMER = { id: 600_000_001, first_name: 'Ivan', last_name: 'Sokolov' };
/** The demo customer's number as Vonage writes it (E.164 digits). */
export const DEMO_VONAGE_CUSTOMER = '15550123458';
export const DEMO_VIBER_CUSTOMER = { id: 'ZGVtby12aWJlci1jdXN0b21lcg==', name: 'Mia Jensen' };

export type Messenger =
  | 'telegram'
  | 'whatsapp'
  | 'sms'
  | 'messenger'
  | 'instagram'
  | 'vk'
  | 'viber'
  | 'sms2'
  | 'email';

export interface PhoneWiring {
  telegram: TelegramSandbox;
  botToken: string;
  botUsername: string;
  whatsapp: WhatsAppSandbox;
  phoneNumberId: string;
  displayPhoneNumber: string;
  twilio: TwilioSandbox;
  twilioAccountSid: string;
  /** The business's SMS number (E.164). */
  smsNumber: string;
  meta: MetaSandbox;
  pageId: string;
  instagramAccountId: string;
  vk: VkSandbox;
  vkGroupId: number;
  viber: ViberSandbox;
  viberToken: string;
  email: EmailSandbox;
  vonage: VonageSandbox;
  vonageApiKey: string;
  /** The business's second SMS number (Vonage, digits). */
  vonageNumber: string;
}

const sendBody = z.object({
  messenger: z.enum([
    'telegram',
    'whatsapp',
    'sms',
    'messenger',
    'instagram',
    'vk',
    'viber',
    'sms2',
    'email',
  ]),
  text: z.string().trim().min(1).max(4096).optional(),
  photo: z.boolean().optional(),
});

/** Serves the customer phone page and its small JSON API over the three sandboxes. */
export class PhoneServer {
  private readonly server = new SandboxServer((req, res, url, body) => this.handle(req, res, url, body));

  constructor(private readonly w: PhoneWiring) {}

  get url(): string {
    return this.server.url;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    await this.server.listen(port, host);
    return this;
  }

  stop(): Promise<void> {
    return this.server.close();
  }

  chats(): Record<Messenger, { title: string; lines: ChatLine[] }> {
    const tg = this.w.telegram.chatHistory(this.w.botToken, DEMO_TELEGRAM_CUSTOMER.id).map((m) => {
      const from = (m.from as { is_bot?: boolean } | undefined)?.is_bot ? 'business' : 'customer';
      const kind = ['photo', 'video', 'voice', 'audio', 'document', 'sticker', 'location', 'contact'].find(
        (k) => k in m,
      );
      const text =
        (m.text as string | undefined) ?? `${kind ? `[${kind}]` : ''}${m.caption ? ` ${m.caption}` : ''}`;
      const keys = (
        m.reply_markup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined
      )?.inline_keyboard;
      const buttons = keys?.flat().map((b) => ({ id: b.callback_data ?? '', title: b.text }));
      return {
        id: String(m.message_id),
        from,
        text,
        at: m.date * 1000,
        ...(buttons?.length ? { buttons } : {}),
      } as ChatLine;
    });
    return {
      telegram: { title: `Telegram · @${this.w.botUsername}`, lines: tg },
      whatsapp: {
        title: `WhatsApp · +${this.w.displayPhoneNumber}`,
        lines: this.w.whatsapp.history(this.w.phoneNumberId, DEMO_WHATSAPP_CUSTOMER.waId),
      },
      sms: { title: `SMS · ${this.w.smsNumber}`, lines: this.smsLines() },
      messenger: {
        title: 'Messenger · Demo Shop',
        lines: this.w.meta.history(this.w.pageId, DEMO_MESSENGER_PSID),
      },
      instagram: {
        title: 'Instagram · @demo.shop',
        lines: this.w.meta.history(this.w.instagramAccountId, DEMO_INSTAGRAM_IGSID),
      },
      vk: { title: `VK · ${this.w.vk.community(this.w.vkGroupId).name}`, lines: this.vkLines() },
      viber: {
        title: `Viber · Demo Shop${this.w.viber.isSubscribed(this.w.viberToken, DEMO_VIBER_CUSTOMER.id) ? ' (subscribed)' : ''}`,
        lines: this.w.viber.history(this.w.viberToken, DEMO_VIBER_CUSTOMER.id),
      },
      email: { title: `Customer mailbox · writing to ${DEMO_SUPPORT_ADDRESS}`, lines: this.w.email.lines() },
      sms2: {
        title: `SMS (Vonage) · +${this.w.vonageNumber}`,
        lines: this.w.vonage.history(this.w.vonageApiKey, DEMO_VONAGE_CUSTOMER),
      },
    };
  }

  /** The VK dialog; VK reports no deliveries or reads to a community, so a sent message stays "sent". */
  private vkLines(): ChatLine[] {
    return this.w.vk.dialog(this.w.vkGroupId, DEMO_VK_CUSTOMER.id).map((m) => {
      const files = m.attachments.map((a) => `[${String(a.type)}]`).join(' ');
      const text = [files, m.text].filter(Boolean).join(' ');
      return m.out
        ? { id: String(m.conversation_message_id), from: 'business', text, at: m.date * 1000, status: 'sent' }
        : { id: String(m.conversation_message_id), from: 'customer', text, at: m.date * 1000 };
    });
  }

  /**
   * The SMS thread between the demo customer and the business number, with Twilio's own answers to
   * STOP/START/HELP; a business message carries its Twilio status (and error code when it failed).
   */
  private smsLines(): ChatLine[] {
    const business = this.w.smsNumber;
    return this.w.twilio
      .messages(this.w.twilioAccountSid)
      .filter(
        (m) =>
          (m.from === DEMO_SMS_CUSTOMER && m.to === business) ||
          (m.from === business && m.to === DEMO_SMS_CUSTOMER),
      )
      .map((m) => {
        // Only an MMS has an MM… sid; an inbound message's media stays in the sandbox's media store.
        const media = m.sid.startsWith('MM') ? '[photo]' : '';
        const text = [media, m.body].filter(Boolean).join(' ');
        if (m.direction === 'inbound') return { id: m.sid, from: 'customer', text, at: m.at };
        const status = m.errorCode ? `${m.status} (${m.errorCode})` : m.status;
        return { id: m.sid, from: 'business', text, at: m.at, status };
      });
  }

  async send(input: z.infer<typeof sendBody>): Promise<number> {
    if (input.messenger === 'telegram') {
      const content = input.photo ? { photo: SAMPLE_PHOTO, caption: input.text } : { text: input.text ?? '' };
      const d = await this.w.telegram.customerSends(this.w.botToken, {
        from: DEMO_TELEGRAM_CUSTOMER,
        content,
      });
      return d.status;
    }
    if (input.messenger === 'sms') {
      const r = await this.w.twilio.customerTexts(this.w.twilioAccountSid, {
        from: DEMO_SMS_CUSTOMER,
        to: this.w.smsNumber,
        body: input.text,
        media: input.photo ? [{ bytes: SAMPLE_PHOTO, contentType: SAMPLE_PHOTO_TYPE }] : undefined,
      });
      return r.status;
    }
    if (input.messenger === 'vk') return this.sendVk(input.text, input.photo);
    if (input.messenger === 'sms2') {
      // Plain SMS carries no photo: the photo button sends the text alone.
      return this.w.vonage.customerTexts(this.w.vonageApiKey, {
        from: DEMO_VONAGE_CUSTOMER,
        to: this.w.vonageNumber,
        text: input.text ?? '[photo]',
      });
    }
    if (input.messenger === 'viber') {
      return this.w.viber.customerSends(
        this.w.viberToken,
        DEMO_VIBER_CUSTOMER,
        input.photo
          ? { type: 'picture', text: input.text, bytes: SAMPLE_PHOTO, mime: SAMPLE_PHOTO_TYPE }
          : { type: 'text', text: input.text ?? '' },
      );
    }
    if (input.messenger === 'email') {
      await this.w.email.customerWrites(input.text ?? '(a photo would be an attachment)');
      return 200;
    }
    if (input.messenger === 'messenger' || input.messenger === 'instagram') {
      const [account, from] = this.metaThread(input.messenger);
      const r = await this.w.meta.customerSends(account, {
        from,
        name: DEMO_META_CUSTOMER_NAME,
        text: input.text,
        attachments: input.photo
          ? [{ type: 'image', bytes: SAMPLE_PHOTO, mimeType: SAMPLE_PHOTO_TYPE }]
          : undefined,
      });
      return r.status;
    }
    const content = input.photo
      ? { image: SAMPLE_PHOTO, mimeType: SAMPLE_PHOTO_TYPE, caption: input.text }
      : { text: input.text ?? '' };
    const r = await this.w.whatsapp.customerSends(this.w.phoneNumberId, {
      from: DEMO_WHATSAPP_CUSTOMER.waId,
      name: DEMO_WHATSAPP_CUSTOMER.name,
      content,
    });
    return r.status;
  }

  /** The customer taps a button under a business message (Telegram inline keyboard, WhatsApp reply button). */
  private async tap(json: unknown): Promise<{ ok: boolean; webhookStatus?: number }> {
    const t = json as { messenger?: unknown; messageId?: unknown; buttonId?: unknown };
    if (typeof t.messageId !== 'string' || typeof t.buttonId !== 'string') return { ok: false };
    try {
      if (t.messenger === 'telegram') {
        const d = await this.w.telegram.customerTaps(
          this.w.botToken,
          DEMO_TELEGRAM_CUSTOMER.id,
          Number(t.messageId),
          t.buttonId,
        );
        return { ok: true, webhookStatus: d.status };
      }
      if (t.messenger === 'whatsapp') {
        const r = await this.w.whatsapp.customerTaps(
          this.w.phoneNumberId,
          DEMO_WHATSAPP_CUSTOMER.waId,
          t.messageId,
          t.buttonId,
        );
        return { ok: true, webhookStatus: r.status };
      }
    } catch {
      return { ok: false };
    }
    return { ok: false };
  }

  /** `/deny` and `/allow` press VK's "deny / allow messages from the community" buttons. */
  private async sendVk(text: string | undefined, photo: boolean | undefined): Promise<number> {
    const { vk, vkGroupId } = this.w;
    if (text === '/deny') return (await vk.customerDenies(vkGroupId, DEMO_VK_CUSTOMER.id)).status;
    if (text === '/allow') return (await vk.customerAllows(vkGroupId, DEMO_VK_CUSTOMER.id)).status;
    const content = photo ? { photo: SAMPLE_PHOTO, text } : { text };
    return (await vk.customerWrites(vkGroupId, DEMO_VK_CUSTOMER.id, content)).delivery.status;
  }

  /** The Viber customer opens the chat (a welcome message may come back), subscribes or unsubscribes. */
  private async viberAction(json: unknown): Promise<{ ok: boolean; webhookStatus?: number }> {
    const action = (json as { action?: unknown }).action;
    const v = this.w.viber;
    const c = DEMO_VIBER_CUSTOMER;
    if (action === 'open')
      return { ok: true, webhookStatus: (await v.customerOpens(this.w.viberToken, c)).status };
    if (action === 'subscribe')
      return { ok: true, webhookStatus: await v.customerSubscribes(this.w.viberToken, c) };
    if (action === 'unsubscribe')
      return { ok: true, webhookStatus: await v.customerUnsubscribes(this.w.viberToken, c) };
    return { ok: false };
  }

  private metaThread(m: 'messenger' | 'instagram'): [string, string] {
    return m === 'messenger'
      ? [this.w.pageId, DEMO_MESSENGER_PSID]
      : [this.w.instagramAccountId, DEMO_INSTAGRAM_IGSID];
  }

  private async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy':
          "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
        'x-content-type-options': 'nosniff',
      });
      res.end(PHONE_PAGE);
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/chats') return sendJson(res, 200, this.chats());
    if (
      req.method === 'POST' &&
      ['/api/send', '/api/read', '/api/viber', '/api/tap'].includes(url.pathname)
    ) {
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(res, 400, { error: 'invalid JSON' });
      }
      if (url.pathname === '/api/viber') return sendJson(res, 200, await this.viberAction(json));
      if (url.pathname === '/api/tap') return sendJson(res, 200, await this.tap(json));
      if (url.pathname === '/api/read') {
        const m = (json as { messenger?: unknown }).messenger;
        if (m === 'viber') {
          await this.w.viber.customerReads(this.w.viberToken, DEMO_VIBER_CUSTOMER.id);
          return sendJson(res, 200, { ok: true });
        }
        if (m === 'messenger' || m === 'instagram') {
          const [account, from] = this.metaThread(m);
          await this.w.meta.customerReads(account, from);
        } else {
          await this.w.whatsapp.customerReads(this.w.phoneNumberId, DEMO_WHATSAPP_CUSTOMER.waId);
        }
        return sendJson(res, 200, { ok: true });
      }
      const input = sendBody.safeParse(json);
      if (!input.success || (!input.data.text && !input.data.photo)) {
        return sendJson(res, 400, { error: 'send {messenger, text} or {messenger, photo: true}' });
      }
      return sendJson(res, 200, { ok: true, webhookStatus: await this.send(input.data) });
    }
    sendJson(res, 404, { error: 'not found' });
  }
}
