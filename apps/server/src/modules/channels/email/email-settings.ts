import { z } from 'zod';

const host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or IP address');
const port = z.number().int().min(1).max(65_535);

/** One mailbox login; `secure: true` is TLS from the first byte (465, 993), false upgrades with STARTTLS when offered. */
const smtpSchema = z.object({
  host,
  port,
  secure: z.boolean(),
  user: z.string().trim().min(1).max(320).optional(),
  password: z.string().min(1).max(1024).optional(),
});

const imapSchema = z.object({
  host,
  port,
  secure: z.boolean(),
  user: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024).optional(),
  /** Default INBOX. */
  mailbox: z.string().trim().min(1).max(200).optional(),
});

export const INBOUND_KINDS = ['imap', 'mailgun', 'postmark'] as const;
export type InboundKind = (typeof INBOUND_KINDS)[number];

/** What an admin sets (passwords and keys included; they are split off into credentials). */
export const emailSettingsSchema = z
  .object({
    address: z
      .string()
      .trim()
      .toLowerCase()
      .email()
      .max(254)
      .meta({
        label: { en: 'Support address', ru: 'Адрес поддержки' },
        help: {
          en: 'Customers write here; replies go out from it, with a plus address per conversation.',
          ru: 'Сюда пишут клиенты; с него уходят ответы, у каждого разговора свой адрес с плюсом.',
        },
        placeholder: 'support@example.com',
      }),
    fromName: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .meta({
        label: { en: 'Sender name', ru: 'Имя отправителя' },
        help: {
          en: 'Shown in From; {operator} is replaced with the name of the operator who answers.',
          ru: 'Показывается в поле «От»; {operator} заменяется именем ответившего оператора.',
        },
        placeholder: '{operator} at Acme',
      })
      .optional(),
    smtp: smtpSchema.meta({
      label: { en: 'Outgoing mail (SMTP)', ru: 'Исходящая почта (SMTP)' },
      placeholder:
        '{"host": "smtp.example.com", "port": 587, "secure": false, "user": "support@example.com", "password": "…"}',
      help: {
        en: 'host, port, secure (TLS from the start; otherwise STARTTLS when offered), user and password if required',
        ru: 'сервер, порт, secure (сразу TLS; иначе STARTTLS, если сервер предлагает), логин и пароль, если нужны',
      },
    }),
    inbound: z.enum(INBOUND_KINDS).meta({
      label: { en: 'How mail comes in', ru: 'Как приходит почта' },
      optionLabels: {
        imap: { en: 'Read a mailbox over IMAP', ru: 'Читать ящик по IMAP' },
        mailgun: { en: 'Mailgun inbound route', ru: 'Входящий маршрут Mailgun' },
        postmark: { en: 'Postmark inbound webhook', ru: 'Входящий веб-хук Postmark' },
      },
    }),
    imap: imapSchema
      .meta({
        label: { en: 'Incoming mailbox (IMAP)', ru: 'Входящий ящик (IMAP)' },
        placeholder:
          '{"host": "imap.example.com", "port": 993, "secure": true, "user": "support@example.com", "password": "…"}',
        help: {
          en: 'host, port, secure, user, password; mailbox (folder) defaults to INBOX',
          ru: 'сервер, порт, secure, логин, пароль; папка по умолчанию INBOX',
        },
      })
      .optional(),
    mailgunSigningKey: z
      .string()
      .trim()
      .min(8)
      .max(200)
      .meta({
        label: { en: 'Mailgun webhook signing key', ru: 'Ключ подписи веб-хуков Mailgun' },
        secret: true,
      })
      .optional(),
    postmarkUser: z
      .string()
      .trim()
      .regex(/^[^:\s]{1,100}$/, 'no colon or spaces')
      .meta({ label: { en: 'Postmark webhook user', ru: 'Пользователь веб-хука Postmark' } })
      .optional(),
    postmarkPassword: z
      .string()
      .min(8)
      .max(200)
      .meta({
        label: { en: 'Postmark webhook password', ru: 'Пароль веб-хука Postmark' },
        secret: true,
      })
      .optional(),
    /** How long a reply with no headers and no plus address still joins a conversation by subject. */
    subjectThreadDays: z
      .number()
      .int()
      .min(0)
      .max(365)
      .meta({
        label: { en: 'Match replies by subject for (days)', ru: 'Связывать ответы по теме (дней)' },
        advanced: true,
      })
      .optional(),
  })
  .refine((s) => s.inbound !== 'imap' || s.imap !== undefined, {
    message: 'required when inbound is "imap"',
    path: ['imap'],
  });

export type EmailSettingsInput = z.infer<typeof emailSettingsSchema>;

/** The settings as stored (no secrets) and read back by the adapter. */
export interface EmailSettings {
  address: string;
  fromName?: string;
  smtp: { host: string; port: number; secure: boolean; user?: string };
  inbound: InboundKind;
  imap?: { host: string; port: number; secure: boolean; user: string; mailbox?: string };
  postmarkUser?: string;
  subjectThreadDays?: number;
}

export const DEFAULT_SUBJECT_THREAD_DAYS = 14;

export function emailSettingsOf(settings: Record<string, unknown>): EmailSettings {
  return settings as unknown as EmailSettings;
}
