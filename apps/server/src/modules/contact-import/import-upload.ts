import { Transform, type Readable } from 'node:stream';
import type { AppContext } from '../../app-context.ts';
import { newId } from '../../infra/crypto/ids.ts';
import { DomainError } from '../../lib/domain-error.ts';

/** An uploaded file's limit: a million CSV rows of a CRM export fit. */
export const IMPORT_FILE_MAX_BYTES = 100 * 1024 * 1024;

export interface Upload {
  id: string;
  key: string;
  size: number;
}

/**
 * Streams an uploaded file into the file store (refusing one over the limit) before its options are
 * known: a form may send its fields after the file.
 */
export async function storeUpload(ctx: AppContext, accountId: string, data: Readable): Promise<Upload> {
  const id = newId(ctx.clock.now());
  const key = `imports/${accountId}/${id}`;
  const limit = limited(IMPORT_FILE_MAX_BYTES);
  data.on('error', (err) => limit.destroy(err));
  const stored = await ctx.files.put(key, data.pipe(limit)).catch(async (err) => {
    data.resume();
    await ctx.files.delete(key).catch(() => {});
    throw err;
  });
  return { id, key, size: stored.size };
}

export async function discardUpload(ctx: AppContext, upload: Upload | undefined) {
  if (upload) await ctx.files.delete(upload.key).catch(() => {});
}

/** Counts bytes on the way to the store and stops a file over the limit. */
function limited(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max)
        done(new DomainError('body_too_large', `The file is larger than ${max} bytes`, { maxBytes: max }));
      else done(null, chunk);
    },
  });
}
