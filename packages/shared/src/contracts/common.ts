import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../error-codes.ts';

/**
 * Shapes every route shares. The server validates and documents with them (OpenAPI is generated from
 * these zod schemas), the console and the widget infer their types from them: one definition, no mirrors.
 */
export const errorSchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    requestId: z.string().optional(),
    details: z.unknown().optional(),
  }),
});

export const idParams = z.object({ id: z.string().min(1).max(64) });

/** Cursor pages: `items` plus an opaque `nextCursor` (null on the last page). */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
