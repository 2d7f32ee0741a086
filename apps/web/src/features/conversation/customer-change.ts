import type { Message } from '../../api/types.ts';

/**
 * What the customer did to their message afterwards, from the server's meta: deleted it for everyone
 * (`deletedAt`, its text kept for the record) or edited it (`editedAt`, older texts in `edits`).
 * Only the customer's own messages carry these.
 */
export function customerChange(m: Pick<Message, 'authorKind' | 'meta'>): 'deleted' | 'edited' | null {
  if (m.authorKind !== 'contact') return null;
  if (typeof m.meta?.deletedAt === 'number') return 'deleted';
  if (typeof m.meta?.editedAt === 'number') return 'edited';
  return null;
}
