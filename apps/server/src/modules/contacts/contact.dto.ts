import { contactSchema, identitySchema } from '@switchboard/shared';
import type { z } from 'zod';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';

export { contactSchema, identitySchema };

export type ContactDto = z.infer<typeof contactSchema>;

export async function toContactDtos(k: Tx, rows: Row<'contacts'>[]): Promise<ContactDto[]> {
  const ids = rows.map((r) => r.id);
  const identities = ids.length
    ? await k
        .selectFrom('contact_identities as i')
        .innerJoin('channels as ch', 'ch.id', 'i.channel_id')
        .select([
          'i.id',
          'i.contact_id',
          'i.external_id',
          'i.created_at',
          'ch.id as channel_id',
          'ch.type as channel_type',
          'ch.name as channel_name',
        ])
        .where('i.contact_id', 'in', ids)
        .orderBy('i.created_at')
        .orderBy('i.id')
        .execute()
    : [];
  const labels = ids.length
    ? await k
        .selectFrom('contact_labels')
        .select(['contact_id', 'label'])
        .where('contact_id', 'in', ids)
        .orderBy('label')
        .execute()
    : [];
  const consents = ids.length
    ? await k
        .selectFrom('contact_consents')
        .select(['contact_id', 'scope', 'status'])
        .where('contact_id', 'in', ids)
        .orderBy('scope')
        .execute()
    : [];
  const consentOf = new Map<string, ContactDto['consent']>();
  for (const c of consents)
    consentOf.set(c.contact_id, [
      ...(consentOf.get(c.contact_id) ?? []),
      { scope: c.scope, status: c.status as 'opted_in' | 'opted_out' },
    ]);
  const labelsOf = new Map<string, string[]>();
  for (const l of labels) labelsOf.set(l.contact_id, [...(labelsOf.get(l.contact_id) ?? []), l.label]);
  const byContact = new Map<string, ContactDto['identities']>();
  for (const i of identities) {
    const list = byContact.get(i.contact_id) ?? [];
    list.push({
      id: i.id,
      channel: { id: i.channel_id, type: i.channel_type, name: i.channel_name },
      externalId: i.external_id,
      createdAt: i.created_at,
    });
    byContact.set(i.contact_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    phone: r.phone,
    email: r.email,
    attributes: JSON.parse(r.attributes) as Record<string, unknown>,
    identities: byContact.get(r.id) ?? [],
    labels: labelsOf.get(r.id) ?? [],
    consent: consentOf.get(r.id) ?? [],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export async function loadContactDto(k: Tx, accountId: string, id: string): Promise<ContactDto | undefined> {
  const row = await k
    .selectFrom('contacts')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row ? (await toContactDtos(k, [row]))[0] : undefined;
}
