import type { AppContext } from '../../../app-context.ts';
import type { Row } from '../../../infra/db/schema.ts';
import { storeProviderEvents } from '../../inbound/inbound-store.ts';
import type { EmailPayload } from './email-payload.ts';

export interface IncomingMail {
  /** The event key: Message-ID, or a content hash (so a mail seen again under a new UID is skipped). */
  key: string;
  build(ctx: AppContext, accountId: string): Promise<EmailPayload>;
}

/**
 * Stores one received mail as a provider event (with its processing job). A mail already held is
 * skipped before its files are written. Returns whether it was new.
 */
export async function ingestMail(
  ctx: AppContext,
  channel: Pick<Row<'channels'>, 'id' | 'account_id'>,
  mail: IncomingMail,
): Promise<boolean> {
  const seen = await ctx.db.kysely
    .selectFrom('inbound_events')
    .select('id')
    .where('channel_id', '=', channel.id)
    .where('provider_event_id', '=', mail.key)
    .executeTakeFirst();
  if (seen) return false;
  const payload = await mail.build(ctx, channel.account_id);
  const stored = await storeProviderEvents(ctx, channel, [
    // One sender's mails are applied in order (a reply after the mail it answers).
    { providerEventId: mail.key, payload, orderKey: payload.from?.address ?? mail.key },
  ]);
  return stored > 0;
}
