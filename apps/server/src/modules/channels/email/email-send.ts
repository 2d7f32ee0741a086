import type { AppContext } from '../../../app-context.ts';
import { PermanentError, RetryableError } from '../../../worker/job-errors.ts';
import type { ChannelRuntime, OutboundMessage, SendResult } from '../channel-adapter.ts';
import { bareId, outboundMessageId, plusAddress, replySubject } from './email-address.ts';
import { emailSettingsOf } from './email-settings.ts';
import { type MailConnectError, classify, mailHostAddress, smtpTransport } from './mail-connection.ts';

/** What the composer may set for an e-mail reply (`meta.email` of the queued message). */
interface ComposerFields {
  subject?: string;
  cc?: string[];
}

interface StoredEmailMeta {
  subject?: string | null;
  messageId?: string;
  references?: string[];
}

/** References of a reply: the parent's own References and its id, trimmed in the middle (RFC 5322 allows it). */
export function replyReferences(parentRefs: string[], parentId: string | null): string[] {
  const all = parentId ? [...parentRefs.filter((r) => r !== parentId), parentId] : parentRefs;
  return all.length <= 20 ? all : [all[0]!, ...all.slice(-19)];
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Plain text as HTML paragraphs (the operator types text; mail clients show either part). */
export function textToHtml(text: string): string {
  return `<div>${text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('')}</div>`;
}

async function context(ctx: AppContext, message: OutboundMessage) {
  const k = ctx.db.kysely;
  const row = await k
    .selectFrom('messages')
    .select(['meta', 'author_kind', 'author_id'])
    .where('id', '=', message.id)
    .executeTakeFirstOrThrow();
  const parent = await k
    .selectFrom('messages')
    .select(['provider_message_id', 'meta'])
    .where('conversation_id', '=', message.conversationId)
    .where('direction', '=', 'in')
    .where('provider_message_id', 'is not', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const first = await k
    .selectFrom('messages')
    .select('meta')
    .where('conversation_id', '=', message.conversationId)
    .where('private', '=', 0)
    .orderBy('created_at', 'asc')
    .limit(1)
    .executeTakeFirst();
  const operator =
    row.author_kind === 'user' && row.author_id
      ? await k.selectFrom('users').select('name').where('id', '=', row.author_id).executeTakeFirst()
      : undefined;
  const meta = JSON.parse(row.meta) as Record<string, unknown> & { email?: ComposerFields };
  const parentMeta = parent ? ((JSON.parse(parent.meta) as { email?: StoredEmailMeta }).email ?? {}) : {};
  const firstMeta = first ? ((JSON.parse(first.meta) as { email?: StoredEmailMeta }).email ?? {}) : {};
  return {
    meta,
    automatic: row.author_kind === 'system',
    operatorName: operator?.name ?? null,
    parentId: parent?.provider_message_id ? bareId(parent.provider_message_id) : null,
    parentRefs: parentMeta.references ?? [],
    threadSubject: parentMeta.subject ?? firstMeta.subject ?? null,
  };
}

/**
 * Sends an operator's (or an automatic) message as a mail reply: a Message-ID of ours on the channel's
 * domain, In-Reply-To / References from the customer's last mail, `Re:` subject, Reply-To the
 * conversation's plus address. SMTP 4xx answers are retried, 5xx answers fail with the server's words.
 */
export async function sendEmail(
  ctx: AppContext,
  channel: ChannelRuntime,
  message: OutboundMessage,
): Promise<SendResult> {
  const s = emailSettingsOf(channel.settings);
  const c = await context(ctx, message);
  const now = ctx.clock.now();
  const id = outboundMessageId(s.address, message.id, message.conversationId, now);
  const subject = c.meta.email?.subject?.trim() || replySubject(c.threadSubject ?? channel.name);
  const cc = c.meta.email?.cc ?? [];
  const fromName = (s.fromName ?? '{operator}')
    .replaceAll('{operator}', c.operatorName ?? channel.name)
    .trim();
  const stored = message.attachments.filter((a) => a.stored);
  const links = message.attachments.filter((a) => !a.stored && a.url);
  const text = [message.text ?? '', ...links.map((a) => `${a.name ?? 'Attachment'}: ${a.url}`)]
    .filter(Boolean)
    .join('\n\n');
  const references = replyReferences(c.parentRefs, c.parentId);
  const attachments = await Promise.all(
    stored.map(async (a) => ({
      filename: a.name ?? 'attachment',
      contentType: a.mimeType ?? 'application/octet-stream',
      content: await a.stored!.read(),
    })),
  );

  let address: string;
  try {
    address = await mailHostAddress(ctx, 'smtp', s.smtp.host);
  } catch (err) {
    const e = err as MailConnectError;
    if (e.kind === 'dns') throw new RetryableError(e.message);
    throw new PermanentError(e.message, 'smtp_blocked');
  }
  const transport = smtpTransport(ctx, channel, address);
  try {
    await transport.sendMail({
      from: { name: fromName || s.address, address: s.address },
      to: message.contactExternalId,
      cc: cc.length ? cc : undefined,
      replyTo: plusAddress(s.address, message.conversationId),
      subject,
      text: text || ' ',
      html: text ? textToHtml(text) : undefined,
      messageId: `<${id}>`,
      inReplyTo: c.parentId ? `<${c.parentId}>` : undefined,
      references: references.length ? references.map((r) => `<${r}>`) : undefined,
      headers: c.automatic ? { 'Auto-Submitted': 'auto-replied' } : undefined,
      attachments,
    });
  } catch (err) {
    throw sendError(s.smtp.host, s.smtp.port, err);
  } finally {
    transport.close();
  }
  // Kept on the message: the thread's subject and our id, for threading the customer's answer.
  await ctx.db.kysely
    .updateTable('messages')
    .set({
      meta: JSON.stringify({
        ...c.meta,
        email: {
          ...c.meta.email,
          subject,
          cc,
          messageId: id,
          inReplyTo: c.parentId ? [c.parentId] : [],
          references,
        },
      }),
    })
    .where('id', '=', message.id)
    .execute();
  return { providerMessageId: id };
}

function sendError(host: string, port: number, err: unknown): Error {
  const e = err as { responseCode?: number; response?: string; code?: string; message?: string };
  const code = e?.responseCode;
  if (code && code >= 500) {
    const reason = (e.response ?? e.message ?? '').trim();
    return new PermanentError(
      `The mail server refused the message: ${reason}`,
      code === 535 || code === 534 || code === 530 ? 'smtp_auth_failed' : 'smtp_rejected',
    );
  }
  if (code && code >= 400)
    return new RetryableError(`The mail server asked to try later: ${(e.response ?? '').trim()}`);
  const c = classify('smtp', host, port, err);
  if (c.kind === 'auth') return new PermanentError(c.message, 'smtp_auth_failed');
  if (c.kind === 'tls') return new PermanentError(c.message, 'smtp_tls_failed');
  return new RetryableError(c.message);
}
