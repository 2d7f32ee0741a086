import type { AppContext } from '../../app-context.ts';
import type { Tx } from '../../infra/db/database.ts';
import { parseAttributes } from '../attributes/attribute-values.ts';
import type { Principal } from '../auth/principal.ts';
import { loadVisibleConversation } from '../conversations/conversation-access.ts';
import type { RenderContext } from './template-vars.ts';

async function operatorOf(k: Tx, p: Principal) {
  return k.selectFrom('users').select(['name', 'email']).where('id', '=', p.userId).executeTakeFirstOrThrow();
}

/** What a template's variables are filled from in one conversation the caller may see. */
export async function conversationContext(
  ctx: AppContext,
  k: Tx,
  p: Principal,
  conversationId: string,
): Promise<RenderContext> {
  const conv = await loadVisibleConversation(ctx, p, conversationId);
  const contact = await k
    .selectFrom('contacts')
    .select(['name', 'phone', 'email', 'attributes'])
    .where('id', '=', conv.contact_id)
    .executeTakeFirstOrThrow();
  const channel = await k
    .selectFrom('channels')
    .select('name')
    .where('id', '=', conv.channel_id)
    .executeTakeFirstOrThrow();
  return {
    contact: {
      name: contact.name,
      phone: contact.phone,
      email: contact.email,
      attributes: Object.assign(Object.create(null), JSON.parse(contact.attributes)),
    },
    operator: await operatorOf(k, p),
    conversation: {
      id: conv.id,
      attributes: Object.assign(Object.create(null), parseAttributes(conv.attributes)),
    },
    channel,
  };
}

/**
 * Made-up values for previewing a template while it is written: the operator is the real one, every
 * custom attribute the account defines shows its label, so only misspelt variables stay unresolved.
 */
export async function sampleContext(k: Tx, p: Principal): Promise<RenderContext> {
  const defs = await k
    .selectFrom('attribute_definitions')
    .select(['entity', 'key', 'label'])
    .where('account_id', '=', p.accountId)
    .execute();
  const sample = (entity: string) =>
    Object.assign(
      Object.create(null),
      Object.fromEntries(defs.filter((d) => d.entity === entity).map((d) => [d.key, `[${d.label}]`])),
    );
  return {
    contact: {
      name: 'Anna Smith',
      phone: '+15550100',
      email: 'anna@example.com',
      attributes: sample('contact'),
    },
    operator: await operatorOf(k, p),
    conversation: { id: 'SAMPLE-1', attributes: sample('conversation') },
    channel: { name: 'Website chat' },
  };
}
