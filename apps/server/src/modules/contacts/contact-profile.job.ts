import { z } from 'zod';
import { RetryableError } from '../../worker/job-errors.ts';
import { findAdapter } from '../channels/channel-registry.ts';
import { findChannel } from '../channels/channel.service.ts';
import { loadConversationDto } from '../conversations/conversation.dto.ts';
import { transact } from '../events/unit-of-work.ts';
import { indexContact } from '../search/search-index.ts';
import { loadContactDto } from './contact.dto.ts';
import { defineJob } from '../../worker/define-job.ts';

export const CONTACT_PROFILE_JOB = 'contact.profile';

/**
 * Fills a new contact's name from the provider's profile (Messenger's first and last name, Instagram's
 * name or username). Never overwrites a name someone set meanwhile; a provider that will not say (no
 * permission, the person restricted it) leaves the contact as it is.
 */
export const contactProfileJob = defineJob(
  CONTACT_PROFILE_JOB,
  z.object({ contactId: z.string(), channelId: z.string(), externalId: z.string() }),
  async (ctx, { contactId, channelId, externalId }, job) => {
    const k = ctx.db.kysely;
    const [contact, channel] = await Promise.all([
      k
        .selectFrom('contacts')
        .select(['id', 'name', 'account_id'])
        .where('id', '=', contactId)
        .executeTakeFirst(),
      findChannel(ctx, channelId),
    ]);
    if (!contact || contact.name || !channel) return;
    const adapter = findAdapter(channel.row.type);
    if (!adapter?.fetchProfile) return;
    let name: string | null;
    try {
      ({ name } = await adapter.fetchProfile(ctx, channel.runtime, externalId));
    } catch (err) {
      if (err instanceof RetryableError && job.attempts < 3) throw err;
      ctx.log.info({ err, contactId, channelId }, 'no profile name from the provider');
      return;
    }
    const clean = name?.trim().slice(0, 200);
    if (!clean) return;
    await transact(ctx, async (uow) => {
      const r = await uow.tx
        .updateTable('contacts')
        .set({ name: clean, updated_at: ctx.clock.now() })
        .where('id', '=', contactId)
        .where('name', 'is', null)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return;
      await indexContact(ctx, uow.tx, contactId);
      const dto = await loadContactDto(uow.tx, contact.account_id, contactId);
      if (dto) uow.emit(contact.account_id, 'contact.updated', dto);
      // Inbox rows show the contact's name: their conversations change with it.
      const convs = await uow.tx
        .selectFrom('conversations')
        .select(['id', 'team_id'])
        .where('contact_id', '=', contactId)
        .orderBy('created_at', 'desc')
        .limit(5)
        .execute();
      for (const c of convs) {
        uow.emit(
          contact.account_id,
          'conversation.updated',
          (await loadConversationDto(uow.tx, c.id, contact.account_id))!,
          c.team_id,
        );
      }
    });
  },
);
