import type { AppContext } from '../../../app-context.ts';
import type { Row } from '../../../infra/db/schema.ts';
import type { InboundEvent } from '../../channels/channel-adapter.ts';
import { capabilitiesOf } from '../../channels/channel-capabilities.ts';
import type { UnitOfWork } from '../../events/unit-of-work.ts';
import { mergeContacts } from '../merge/contact-merge.service.ts';
import { phoneKey, sourceOf, staleKeys } from './match-keys.ts';

type InboundMessage = Extract<InboundEvent, { kind: 'message' }>;

/**
 * The phone number the provider vouches belongs to the sender, or null. Phone-addressed channels
 * (WhatsApp wa_id, SMS sender) deliver from the number itself. Telegram says so for a shared contact
 * whose `user_id` is the sender's own. A Viber contact card carries no such proof (anyone's card can be
 * shared), so it is not trusted: merging a stranger's history into someone else's would leak it.
 */
export function verifiedPhone(channel: Row<'channels'>, e: InboundMessage): string | null {
  if (capabilitiesOf(channel.type).addressing.phone) return e.contact.phone ?? null;
  const shared = e.meta?.sharedContact as { phone?: unknown; telegramUserId?: unknown } | undefined;
  if (
    channel.type === 'telegram' &&
    e.contentKind === 'contact' &&
    typeof shared?.phone === 'string' &&
    shared.telegramUserId !== undefined &&
    String(shared.telegramUserId) === e.contact.externalId
  )
    return shared.phone;
  return null;
}

/**
 * With the account's automatic merging on, a contact whose phone the provider verified is merged with
 * the oldest other live contact of the same phone (E.164 in the default country); the older contact is
 * kept. Runs in the inbound transaction right after the identity was found or created, so the message
 * lands on the kept contact. Returns the contact the message belongs to now.
 */
export async function autoMergeVerified(
  ctx: AppContext,
  uow: UnitOfWork,
  channel: Row<'channels'>,
  contactId: string,
  created: boolean,
  e: InboundMessage,
): Promise<{ contactId: string; merged: boolean }> {
  // Each new identity is judged once, when it first writes (or when it shares its own number): not on
  // every later message.
  if (!created && e.contentKind !== 'contact') return { contactId, merged: false };
  const phone = verifiedPhone(channel, e);
  if (!phone) return { contactId, merged: false };
  const tx = uow.tx;
  const account = await tx
    .selectFrom('accounts')
    .select(['default_country', 'auto_merge_verified'])
    .where('id', '=', channel.account_id)
    .executeTakeFirstOrThrow();
  if (account.auto_merge_verified !== 1) return { contactId, merged: false };
  const key = phoneKey(phone, account.default_country);
  if (!key) return { contactId, merged: false };
  const me = await tx
    .selectFrom('contacts')
    .selectAll()
    .where('id', '=', contactId)
    .executeTakeFirstOrThrow();
  // A verified number fills an empty phone (a Telegram contact shared by its owner).
  if (!me.phone) {
    await tx
      .updateTable('contacts')
      .set({ phone, updated_at: ctx.clock.now() })
      .where('id', '=', contactId)
      .execute();
  }
  // Keys are derived lazily (match-keys.ts): compare fresh keys, and read stale rows' numbers here
  // without writing them (no locks on contacts this message is not about).
  const candidates = await tx
    .selectFrom('contacts')
    .select(['id', 'phone', 'email', 'phone_key', 'match_source', 'created_at'])
    .where('account_id', '=', channel.account_id)
    .where('merged_into', 'is', null)
    .where('id', '!=', contactId)
    .where((eb) => eb.or([eb('phone_key', '=', key), eb.and([eb('phone', 'is not', null), staleKeys(eb)])]))
    .execute();
  const same = candidates
    .filter((c) =>
      c.match_source !== sourceOf(c.phone, c.email)
        ? phoneKey(c.phone, account.default_country) === key
        : c.phone_key === key,
    )
    .sort((a, b) => Number(a.created_at) - Number(b.created_at) || a.id.localeCompare(b.id));
  const target = same[0];
  if (!target) return { contactId, merged: false };
  // The older contact is kept: it is the one operators already know.
  const [keep, away] =
    Number(target.created_at) < Number(me.created_at) ||
    (Number(target.created_at) === Number(me.created_at) && target.id < me.id)
      ? [target.id, contactId]
      : [contactId, target.id];
  await mergeContacts(ctx, uow, { accountId: channel.account_id, userId: null }, keep, away, 'automatic');
  return { contactId: keep, merged: true };
}
