import { PermanentError } from '../../../worker/job-errors.ts';
import type { ChannelRuntime, OutboundMessage } from '../channel-adapter.ts';
import { type Http, callVk, uploadToVk } from './vk-client.ts';
import { vkJobError } from './vk-errors.ts';

type OutAttachment = OutboundMessage['attachments'][number];

/** Photos VK takes through photos.getMessagesUploadServer (others go as documents). */
const PHOTO_TYPES = /^image\/(jpeg|png|gif)$/;
export const PHOTO_MAX = 50 * 1024 * 1024;
export const DOC_MAX = 200 * 1024 * 1024;

interface SavedDoc {
  id: number;
  owner_id: number;
  access_key?: string;
}

/** `<type><owner_id>_<id>[_<access_key>]`, the form `messages.send` takes in `attachment`. */
function attachmentRef(type: string, o: SavedDoc): string {
  return `${type}${o.owner_id}_${o.id}${o.access_key ? `_${o.access_key}` : ''}`;
}

async function bytesOf(http: Http, a: OutAttachment): Promise<Uint8Array> {
  if (a.stored) return a.stored.read();
  if (!a.url || !/^https?:\/\//.test(a.url)) {
    throw new PermanentError(
      'The attachment has no file Switchboard could upload to VK',
      'attachment_unavailable',
    );
  }
  let res: Response;
  try {
    res = await http.fetch(a.url, { signal: AbortSignal.timeout(60_000) });
  } catch (err) {
    throw vkJobError(err);
  }
  if (!res.ok) {
    throw new PermanentError(
      `The attachment could not be fetched for VK (HTTP ${res.status})`,
      'attachment_unavailable',
    );
  }
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Puts one file on VK the way VK takes files for messages: ask for an upload server for this peer,
 * post the file there as multipart, then save it; the result is the `attachment` reference. JPEG, PNG
 * and GIF go as photos; voice notes (OGG) as audio messages; anything else as a document.
 */
export async function uploadAttachment(
  http: Http,
  channel: ChannelRuntime,
  peerId: number,
  a: OutAttachment,
): Promise<string> {
  const size = a.stored?.size ?? 0;
  const mime = a.mimeType ?? 'application/octet-stream';
  const asPhoto = PHOTO_TYPES.test(mime) && size <= PHOTO_MAX && a.kind !== 'document';
  if (!asPhoto && size > DOC_MAX) {
    throw new PermanentError(`The file is larger than VK's ${DOC_MAX}-byte limit for documents`, 'too_large');
  }
  const bytes = await bytesOf(http, a);
  const fileName = a.name ?? (asPhoto ? 'photo.jpg' : 'file');
  try {
    if (asPhoto) {
      const server = await callVk<{ upload_url: string }>(http, channel, 'photos.getMessagesUploadServer', {
        peer_id: peerId,
      });
      const up = await uploadToVk<{ server: number; photo: string; hash: string }>(
        http,
        server.upload_url,
        'photo',
        { bytes, fileName, mimeType: mime },
      );
      const saved = await callVk<SavedDoc[]>(http, channel, 'photos.saveMessagesPhoto', {
        server: up.server,
        photo: up.photo,
        hash: up.hash,
      });
      if (!saved[0]) throw new PermanentError('VK saved no photo', 'attachment_unavailable');
      return attachmentRef('photo', saved[0]);
    }
    const voice = mime === 'audio/ogg' && (a.kind === undefined || a.kind === 'voice');
    const type = voice ? 'audio_message' : 'doc';
    const server = await callVk<{ upload_url: string }>(http, channel, 'docs.getMessagesUploadServer', {
      type,
      peer_id: peerId,
    });
    const up = await uploadToVk<{ file: string }>(http, server.upload_url, 'file', {
      bytes,
      fileName,
      mimeType: mime,
    });
    const saved = await callVk<{ type: string } & Record<string, SavedDoc | string>>(
      http,
      channel,
      'docs.save',
      {
        file: up.file,
        title: fileName,
      },
    );
    // Before API 5.103 docs.save answered a list of documents.
    const doc = (Array.isArray(saved) ? saved[0] : saved[saved.type]) as SavedDoc | undefined;
    if (!doc || typeof doc !== 'object')
      throw new PermanentError('VK saved no document', 'attachment_unavailable');
    return attachmentRef(saved.type === 'audio_message' || !saved.type ? 'doc' : saved.type, doc);
  } catch (err) {
    if (err instanceof PermanentError) throw err;
    throw vkJobError(err);
  }
}
