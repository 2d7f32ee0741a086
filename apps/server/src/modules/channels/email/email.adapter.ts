import { DomainError } from '../../../lib/domain-error.ts';
import type { ChannelAdapter, ChannelRuntime } from '../channel-adapter.ts';
import { emailCapabilities } from './email-capabilities.ts';
import { type EmailPayload, emailEvents } from './email-payload.ts';
import { sendEmail } from './email-send.ts';
import { type EmailSettingsInput, emailSettingsOf, emailSettingsSchema } from './email-settings.ts';
import { emailWebhookRoutes } from './email-webhook.routes.ts';
import { MailConnectError, testImap, testSmtp } from './mail-connection.ts';

export const EMAIL = 'email';

const FAILURE_HINT: Record<MailConnectError['kind'], string> = {
  dns: 'the host name does not resolve',
  blocked: 'the address is private',
  refused: 'the connection was refused',
  timeout: 'the server did not answer',
  tls: 'TLS failed',
  auth: 'the login was refused',
  protocol: 'the server answered unexpectedly',
};

/** A secret from the input, else the stored one while the login it belongs to is unchanged. */
function keep(
  given: string | undefined,
  existing: ChannelRuntime | undefined,
  key: string,
  same: boolean,
): string | undefined {
  return given ?? (same ? existing?.credentials[key] : undefined);
}

/** E-mail: IMAP (or a Mailgun / Postmark parse webhook) in, SMTP out, threaded by RFC 5322 headers. */
export const emailAdapter: ChannelAdapter = {
  type: EMAIL,
  label: { en: 'E-mail', ru: 'Электронная почта' },
  settingsSchema: emailSettingsSchema,
  capabilities: emailCapabilities,

  normalizeAddress(raw) {
    const v = raw.trim().toLowerCase();
    if (!/^[^\s@<>(),;:"]+@[a-z0-9.-]+\.[a-z]{2,}$/.test(v))
      return { ok: false, code: 'invalid', message: 'not an e-mail address' };
    return { ok: true, value: v };
  },

  async prepare(input, existing) {
    const s = emailSettingsSchema.parse(input) as EmailSettingsInput;
    const old = existing ? emailSettingsOf(existing.settings) : undefined;
    const credentials: Record<string, string> = {};
    const smtpPassword = keep(
      s.smtp.password,
      existing,
      'smtpPassword',
      old?.smtp.host === s.smtp.host && old?.smtp.user === s.smtp.user,
    );
    if (smtpPassword) credentials.smtpPassword = smtpPassword;
    if (s.smtp.user && !smtpPassword)
      throw new DomainError('validation_error', 'settings.smtp.password: required with a user');
    const settings: Record<string, unknown> = {
      address: s.address,
      smtp: {
        host: s.smtp.host,
        port: s.smtp.port,
        secure: s.smtp.secure,
        ...(s.smtp.user ? { user: s.smtp.user } : {}),
      },
      inbound: s.inbound,
    };
    if (s.fromName) settings.fromName = s.fromName;
    if (s.subjectThreadDays !== undefined) settings.subjectThreadDays = s.subjectThreadDays;
    if (s.inbound === 'imap') {
      const i = s.imap!;
      const pw = keep(
        i.password,
        existing,
        'imapPassword',
        old?.imap?.host === i.host && old?.imap?.user === i.user,
      );
      if (!pw) throw new DomainError('validation_error', 'settings.imap.password: required');
      credentials.imapPassword = pw;
      settings.imap = {
        host: i.host,
        port: i.port,
        secure: i.secure,
        user: i.user,
        ...(i.mailbox ? { mailbox: i.mailbox } : {}),
      };
    } else if (s.inbound === 'mailgun') {
      const key = s.mailgunSigningKey ?? existing?.credentials.mailgunSigningKey;
      if (!key) throw new DomainError('validation_error', 'settings.mailgunSigningKey: required for Mailgun');
      credentials.mailgunSigningKey = key;
    } else {
      const password = s.postmarkPassword ?? existing?.credentials.postmarkPassword;
      if (!s.postmarkUser || !password)
        throw new DomainError(
          'validation_error',
          'settings.postmarkUser and postmarkPassword: required for Postmark',
        );
      settings.postmarkUser = s.postmarkUser;
      credentials.postmarkPassword = password;
    }
    return { settings, credentials };
  },

  describe(channel, webhookUrl) {
    const s = emailSettingsOf(channel.settings);
    const out: Record<string, unknown> = { address: s.address, inbound: s.inbound };
    if (s.inbound === 'mailgun') out.webhookUrl = webhookUrl;
    if (s.inbound === 'postmark') {
      // Postmark takes the basic-auth credentials inside the URL.
      const u = new URL(webhookUrl);
      u.username = s.postmarkUser ?? '';
      u.password = '(your password)';
      out.webhookUrl = u.toString().replace(encodeURIComponent('(your password)'), '(your password)');
    }
    return out;
  },

  /** Logs in to both servers before the channel is saved, saying which failed and how. */
  async activate(ctx, channel) {
    const s = emailSettingsOf(channel.settings);
    try {
      await testSmtp(ctx, channel);
      if (s.inbound === 'imap') await testImap(ctx, channel);
    } catch (err) {
      if (!(err instanceof MailConnectError)) throw err;
      throw new DomainError(
        'validation_error',
        `settings.${err.server}: ${FAILURE_HINT[err.kind]}: ${err.message}`,
        { server: err.server, failure: err.kind },
      );
    }
    return {};
  },

  handleWebhook() {
    // `/webhooks/email/:channelId` is served by the channel's own route (emailWebhookRoutes), which
    // stores the mail's files before answering; the generic route never reaches this.
    throw new DomainError('not_found', 'E-mail webhooks are served by their own route');
  },

  parse(payload, channel) {
    return emailEvents(payload as EmailPayload, channel);
  },

  send(ctx, channel, message) {
    return sendEmail(ctx, channel, message);
  },

  routes: { public: emailWebhookRoutes },
};
