import type { AppContext } from '../../app-context.ts';
import type { Row } from '../../infra/db/schema.ts';
import type { InboundEvent } from '../channels/channel-adapter.ts';
import { findAdapter } from '../channels/channel-registry.ts';
import { CONTACT_PROFILE_JOB } from '../contacts/contact-profile.job.ts';
import { recordProviderConsent } from '../consent/consent.service.ts';
import type { UnitOfWork } from '../events/unit-of-work.ts';
import { upsertIdentity } from './inbound.service.ts';

/**
 * A customer's consent decision made at the provider (VK `message_allow` / `message_deny`). The contact
 * is found or created (someone may allow messages before ever writing); the line for colleagues goes
 * into their latest conversation on this channel, if there is one. No conversation is opened for it.
 */
export async function applyConsentEvent(
  ctx: AppContext,
  uow: UnitOfWork,
  channel: Row<'channels'>,
  e: Extract<InboundEvent, { kind: 'consent' }>,
): Promise<void> {
  const { contactId, created } = await upsertIdentity(ctx, uow.tx, channel, e.contact, ctx.clock.now());
  if (created && !e.contact.name && findAdapter(channel.type)?.fetchProfile) {
    await uow.enqueue({
      type: CONTACT_PROFILE_JOB,
      payload: { contactId, channelId: channel.id, externalId: e.contact.externalId },
      accountId: channel.account_id,
    });
  }
  const conversation =
    (await uow.tx
      .selectFrom('conversations')
      .selectAll()
      .where('contact_id', '=', contactId)
      .where('channel_id', '=', channel.id)
      .orderBy('created_at', 'desc')
      .executeTakeFirst()) ?? null;
  await recordProviderConsent(ctx, uow, {
    channel,
    contactId,
    conversation,
    optIn: e.optIn,
    source: e.source,
    liftOnly: e.liftOnly,
  });
}
