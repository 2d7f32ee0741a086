import { normaliseDeep, normaliseText } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.ts';
import { MAX_JSON_DEPTH, jsonTooDeep } from './json-depth.ts';

export const tooDeep = () =>
  new AppError(
    'payload_too_deep',
    `The JSON body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep`,
  );

/**
 * The one place where API input is made safe before any route sees it: JSON bodies are refused when
 * nested too deeply (checked on the text, before parsing), and every string of a body, query string or
 * path parameter is normalised (`normaliseText`: NUL removed, lone surrogates replaced), so no route
 * can store text a database refuses. Routes with their own body parsers (CSV, multipart) normalise what
 * they decode themselves.
 */
export function registerRequestHygiene(app: FastifyInstance): void {
  // Fastify's own parser keeps its protection against __proto__ / constructor.prototype keys.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (jsonTooDeep(body as string)) return done(tooDeep(), undefined);
    parseJson(req, body as string, (err: Error | null, value?: unknown) =>
      err ? done(err, undefined) : done(null, normaliseDeep(value, MAX_JSON_DEPTH + 1)),
    );
  });
  app.addHook('preValidation', async (req) => {
    normaliseRecord(req.query);
    normaliseRecord(req.params);
  });
}

/** Query strings and path parameters: flat records (the query parser's objects have no usual prototype). */
function normaliseRecord(record: unknown): void {
  if (!record || typeof record !== 'object') return;
  const r = record as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    const v = r[key];
    if (typeof v === 'string') r[key] = normaliseText(v);
    else if (Array.isArray(v)) r[key] = v.map((x) => (typeof x === 'string' ? normaliseText(x) : x));
  }
}
