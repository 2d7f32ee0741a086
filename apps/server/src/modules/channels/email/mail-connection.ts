import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ImapFlow } from 'imapflow';
import type nodemailerModule from 'nodemailer';
import type { AppContext } from '../../../app-context.ts';
import type { ChannelRuntime } from '../channel-adapter.ts';
import { lazyRequire } from '../../../lib/lazy-require.ts';
import { emailSettingsOf } from './email-settings.ts';

const nodemailer = lazyRequire<typeof nodemailerModule>('nodemailer');
const imapflow = lazyRequire<typeof import('imapflow')>('imapflow');

export type MailFailure = 'dns' | 'blocked' | 'refused' | 'timeout' | 'tls' | 'auth' | 'protocol';

/** A mail server could not be used; `kind` says what the admin must look at. */
export class MailConnectError extends Error {
  constructor(
    readonly server: 'smtp' | 'imap',
    readonly kind: MailFailure,
    message: string,
  ) {
    super(message);
  }
}

const CONNECT_TIMEOUT_MS = 15_000;

/**
 * The address to connect to for an admin-typed mail host: resolved once and checked like any URL
 * Switchboard fetches (no private addresses unless ALLOW_PRIVATE_URLS lists them), then used as is so
 * a second lookup cannot point elsewhere. TLS still checks the certificate against the host name.
 */
export async function mailHostAddress(
  ctx: AppContext,
  server: 'smtp' | 'imap',
  host: string,
): Promise<string> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  let address = bare;
  if (!isIP(bare)) {
    try {
      address = (await lookup(bare)).address;
    } catch (err) {
      throw new MailConnectError(
        server,
        'dns',
        `${host}: no such host (${(err as NodeJS.ErrnoException).code ?? 'lookup failed'})`,
      );
    }
  }
  if (!ctx.config.allowPrivateUrls.permits(bare, address))
    throw new MailConnectError(
      server,
      'blocked',
      `${host} is a private address (${address}); list it in ALLOW_PRIVATE_URLS to allow it`,
    );
  return address;
}

/** What went wrong, from the errors nodemailer and imapflow raise (Node's socket codes, TLS, server answers). */
export function classify(
  server: 'smtp' | 'imap',
  host: string,
  port: number,
  err: unknown,
): MailConnectError {
  if (err instanceof MailConnectError) return err;
  const e = err as NodeJS.ErrnoException & {
    responseCode?: number;
    response?: string;
    authenticationFailed?: boolean;
    serverResponseCode?: string;
    responseText?: string;
  };
  const code = e?.code ?? '';
  const text = `${e?.message ?? String(err)}`;
  const where = `${host}:${port}`;
  // nodemailer wraps socket errors as ESOCKET with Node's code in the message.
  const all = `${code} ${text}`;
  if (/ENOTFOUND|EAI_AGAIN/.test(all)) return new MailConnectError(server, 'dns', `${host}: no such host`);
  if (/ECONNREFUSED/.test(all))
    return new MailConnectError(
      server,
      'refused',
      `${where} refused the connection (nothing listens there?)`,
    );
  if (code === 'ETIMEDOUT' || code === 'ETIMEOUT' || code === 'CONNECT_TIMEOUT' || /timed? ?out/i.test(text))
    return new MailConnectError(server, 'timeout', `${where} did not answer in time`);
  if (
    code === 'ETLS' ||
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    /CERT|SSL|TLS|certificate|self.signed|wrong version number/i.test(`${code} ${text}`)
  )
    return new MailConnectError(server, 'tls', `TLS with ${where} failed: ${text}`);
  if (
    code === 'EAUTH' ||
    e?.authenticationFailed ||
    e?.serverResponseCode === 'AUTHENTICATIONFAILED' ||
    e?.responseCode === 535 ||
    /authenticat|login failed|invalid credentials/i.test(`${text} ${e?.responseText ?? ''}`)
  )
    return new MailConnectError(server, 'auth', `${where} did not accept the user name and password`);
  return new MailConnectError(server, 'protocol', `${where}: ${e?.response ?? e?.responseText ?? text}`);
}

export function smtpTransport(ctx: AppContext, channel: ChannelRuntime, address: string) {
  const s = emailSettingsOf(channel.settings).smtp;
  const password = channel.credentials.smtpPassword;
  return nodemailer().createTransport({
    host: address,
    port: s.port,
    secure: s.secure,
    // STARTTLS when the server offers it (nodemailer's default); TLS names the configured host.
    tls: { servername: isIP(s.host) ? undefined : s.host },
    auth: s.user ? { user: s.user, pass: password ?? '' } : undefined,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    greetingTimeout: CONNECT_TIMEOUT_MS,
    socketTimeout: 60_000,
    name: ctx.config.publicUrl ? new URL(ctx.config.publicUrl).hostname : undefined,
    logger: false,
  });
}

export function imapClient(channel: ChannelRuntime, address: string): ImapFlow {
  const s = emailSettingsOf(channel.settings).imap!;
  return new (imapflow().ImapFlow)({
    host: address,
    port: s.port,
    secure: s.secure,
    servername: isIP(s.host) ? undefined : s.host,
    auth: { user: s.user, pass: channel.credentials.imapPassword ?? '' },
    logger: false,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    greetingTimeout: CONNECT_TIMEOUT_MS,
    // Servers without IDLE are asked with NOOP: new mail is then seen when the next one runs.
    missingIdleCommand: 'NOOP',
    autoIdleDelay: 1000,
    emitLogs: false,
  });
}

/** Logs in to the SMTP server once (EHLO, STARTTLS when offered, AUTH) and disconnects. */
export async function testSmtp(ctx: AppContext, channel: ChannelRuntime): Promise<void> {
  const s = emailSettingsOf(channel.settings).smtp;
  const address = await mailHostAddress(ctx, 'smtp', s.host);
  const transport = smtpTransport(ctx, channel, address);
  try {
    await transport.verify();
  } catch (err) {
    throw classify('smtp', s.host, s.port, err);
  } finally {
    transport.close();
  }
}

/** Logs in to the IMAP server and opens the mailbox, then logs out. */
export async function testImap(ctx: AppContext, channel: ChannelRuntime): Promise<void> {
  const s = emailSettingsOf(channel.settings).imap!;
  const address = await mailHostAddress(ctx, 'imap', s.host);
  const client = imapClient(channel, address);
  client.on('error', () => {});
  try {
    await client.connect();
    try {
      await client.mailboxOpen(s.mailbox ?? 'INBOX', { readOnly: true });
    } catch (err) {
      throw new MailConnectError(
        'imap',
        'protocol',
        `mailbox "${s.mailbox ?? 'INBOX'}" cannot be opened: ${(err as Error).message}`,
      );
    }
    await client.logout();
  } catch (err) {
    client.close();
    throw classify('imap', s.host, s.port, err);
  }
}
