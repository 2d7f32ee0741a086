import { errorSchema } from '@switchboard/shared';
import { type SelectQueryBuilder, sql } from 'kysely';
import { AppError } from './errors.ts';

/** The shared shapes, where every route file already looks for them. */
export { errorSchema, idParams, pageQuery } from '@switchboard/shared';

/** Documented error answers shared by every route (the body is always `{error: {code, message}}`). */
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  422: errorSchema,
  429: errorSchema,
} as const;

export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): (string | number)[] | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v)) return v;
  } catch {}
  return undefined;
}

/**
 * One page of a single-table query, newest first by (created_at, id), after the cursor of the page
 * before: the keyset the lists of messages, broadcasts and rule runs share. A cursor that is not one of
 * ours is refused as `cursor: malformed`.
 */
export async function newestFirstPage<DB, TB extends keyof DB, O extends { created_at: number; id: string }>(
  q: SelectQueryBuilder<DB, TB, O>,
  cursorText: string | undefined,
  limit: number,
): Promise<{ page: O[]; nextCursor: string | null }> {
  const cursor = decodeCursor(cursorText);
  if (cursorText && cursor?.length !== 2) throw new AppError('validation_error', 'cursor: malformed');
  if (cursor) {
    const [at, id] = cursor as [number, string];
    q = q.where(sql<boolean>`(created_at < ${at} or (created_at = ${at} and id < ${id}))`);
  }
  const rows = await q
    .orderBy(sql`created_at`, 'desc')
    .orderBy(sql`id`, 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    page,
    nextCursor: rows.length > limit && last ? encodeCursor([last.created_at, last.id]) : null,
  };
}
