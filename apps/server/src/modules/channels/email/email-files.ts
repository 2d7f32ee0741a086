import { createHash } from 'node:crypto';
import type { AppContext } from '../../../app-context.ts';
import { newId } from '../../../infra/crypto/ids.ts';
import { sniffMime } from '../../media/sniff.ts';
import type { StoredMailFile } from './email-payload.ts';

/** Puts one mail part into Switchboard's file store, under a key of our own making. */
export async function storeMailFile(
  ctx: AppContext,
  accountId: string,
  bytes: Buffer,
  declared: { name: string | null; mimeType: string | null; cid?: string | null; exactType?: boolean },
): Promise<StoredMailFile> {
  const storageKey = `media/${accountId}/${newId(ctx.clock.now())}`;
  await ctx.files.put(storageKey, bytes);
  return {
    storageKey,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    name: declared.name,
    // A mail's own MIME is ours to label (sniffing would call it text/plain); parts are sniffed.
    mimeType:
      declared.exactType && declared.mimeType ? declared.mimeType : sniffMime(bytes, declared.mimeType),
    cid: declared.cid ? declared.cid.replace(/^<|>$/g, '') : null,
  };
}

/** The event key of a mail: its Message-ID, or a hash of what identifies it when it has none. */
export function mailKey(messageId: string | null, parts: (string | null | undefined)[]): string {
  if (messageId) return messageId;
  const h = createHash('sha256')
    .update(parts.map((p) => p ?? '').join('\u0000'))
    .digest('hex');
  return `${h.slice(0, 40)}@hash.invalid`;
}
