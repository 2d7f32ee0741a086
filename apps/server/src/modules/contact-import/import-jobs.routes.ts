import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { PREVIEW_ROWS, importJobSchema } from '@switchboard/shared';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { principalOf } from '../../http/authenticate.ts';
import { errorResponses } from '../../http/schemas.ts';
import { csvLine } from '../../lib/csv.ts';
import { requireRole } from '../auth/principal.ts';
import { importProblems, loadImport, toImportJob } from './import-job.service.ts';

export const importIdParams = z.object({ id: z.string().min(1).max(64) });

/** The errors file: one line per skipped row or warning, in row order, with a BOM for Excel. */
export async function* csvText(lines: AsyncIterable<{ row: number; kind: string; message: string }>) {
  yield `\uFEFF${csvLine(['row', 'kind', 'message'])}`;
  for await (const l of lines) yield csvLine([String(l.row), l.kind, l.message]);
}

/** `GET /contacts/imports/:id` and its errors file. */
export const importJobRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/contacts/imports/:id',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Progress and result of a contact import (supervisor or admin)',
          params: importIdParams,
          response: { 200: importJobSchema, ...errorResponses },
        },
      },
      async (req) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        return toImportJob(ctx, await loadImport(ctx, p.accountId, req.params.id));
      },
    );

    app.get(
      '/contacts/imports/:id/errors',
      {
        schema: {
          tags: ['contacts'],
          summary:
            'Every skipped row and warning of an import as CSV (row, kind, message); while it runs: so far',
          params: importIdParams,
          produces: ['text/csv'],
          response: { 200: z.any(), ...errorResponses },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        requireRole(p, 'supervisor');
        const row = await loadImport(ctx, p.accountId, req.params.id);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="import-${row.id}-errors.csv"`)
          .header('cache-control', 'private, no-store')
          .send(Readable.from(csvText(importProblems(ctx, row.id))));
      },
    );
  };

export { PREVIEW_ROWS };
