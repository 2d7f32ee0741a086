import { contactNoteSchema } from '@switchboard/shared';
import type { z } from 'zod';
import type { Tx } from '../../infra/db/database.ts';

export { contactNoteSchema };

export type ContactNoteDto = z.infer<typeof contactNoteSchema>;

export function contactNoteQuery(k: Tx) {
  return k
    .selectFrom('contact_notes as n')
    .innerJoin('users as u', 'u.id', 'n.author_id')
    .select([
      'n.id',
      'n.contact_id',
      'n.account_id',
      'n.author_id',
      'n.body',
      'n.created_at',
      'n.updated_at',
      'u.name as author_name',
    ]);
}

type NoteRow = Awaited<ReturnType<ReturnType<typeof contactNoteQuery>['executeTakeFirstOrThrow']>>;

export function toContactNoteDto(r: NoteRow): ContactNoteDto {
  return {
    id: r.id,
    contactId: r.contact_id,
    text: r.body,
    author: { id: r.author_id, name: r.author_name },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function loadContactNote(k: Tx, accountId: string, contactId: string, id: string) {
  return contactNoteQuery(k)
    .where('n.id', '=', id)
    .where('n.contact_id', '=', contactId)
    .where('n.account_id', '=', accountId)
    .executeTakeFirst();
}
