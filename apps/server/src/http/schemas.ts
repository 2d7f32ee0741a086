import { errorSchema } from '@switchboard/shared';

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
