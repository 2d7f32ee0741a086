import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Community, CustomerContent } from './vk-sandbox-model.ts';

export interface StoredFile {
  bytes: Buffer;
  mime: string;
  name: string;
}

/** A sticker's image: a PNG signature is enough for the media sniffer. */
const STICKER_PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(32, 2),
]);

/**
 * The files side of the VK sandbox: the CDN customers' photos, voice notes and documents are served
 * from, and the message upload flow a community uses to send files (`photos.getMessagesUploadServer` →
 * POST multipart `photo` → `photos.saveMessagesPhoto`; `docs.getMessagesUploadServer` → POST multipart
 * `file` → `docs.save`), ending in the `photo<owner>_<id>_<access_key>` / `doc<owner>_<id>` references
 * `messages.send` takes.
 */
export function vkUploads(base: () => string) {
  const files = new Map<string, StoredFile>();
  const pending = new Map<string, StoredFile & { kind: 'photo' | 'doc' | 'audio_message' }>();
  const savedObjects = new Map<string, Record<string, unknown>>();
  let nextId = 456_239_001;

  const put = (f: StoredFile): string => {
    const key = randomBytes(9).toString('base64url');
    files.set(key, f);
    return `${base()}/cdn/${key}`;
  };
  const photoObject = (owner: number, url: string) => ({
    id: nextId++,
    owner_id: owner,
    album_id: -3,
    access_key: randomBytes(6).toString('hex'),
    date: Math.floor(Date.now() / 1000),
    sizes: [
      { type: 's', width: 75, height: 56, url },
      { type: 'x', width: 604, height: 453, url },
      { type: 'm', width: 130, height: 97, url },
    ],
    text: '',
  });

  return {
    file: (key: string) => files.get(key),

    /** The attachments of a customer's message, their files on the CDN. */
    customerAttachments(userId: number, content: CustomerContent): Record<string, unknown>[] {
      const out: Record<string, unknown>[] = [];
      if (content.photo)
        out.push({
          type: 'photo',
          photo: photoObject(userId, put({ bytes: content.photo, mime: 'image/jpeg', name: 'photo.jpg' })),
        });
      if (content.voice) {
        const url = put({ bytes: content.voice, mime: 'audio/ogg', name: 'voice.ogg' });
        out.push({
          type: 'audio_message',
          audio_message: {
            id: nextId++,
            owner_id: userId,
            duration: 2,
            waveform: [0, 10, 20, 10],
            link_ogg: url,
            link_mp3: url,
            access_key: 'a1',
          },
        });
      }
      if (content.doc) {
        const ext = content.doc.ext ?? content.doc.title.split('.').pop() ?? 'bin';
        const url = put({
          bytes: content.doc.bytes,
          mime: 'application/octet-stream',
          name: content.doc.title,
        });
        out.push({
          type: 'doc',
          doc: {
            id: nextId++,
            owner_id: userId,
            title: content.doc.title,
            size: content.doc.bytes.length,
            ext,
            url,
            date: Math.floor(Date.now() / 1000),
            type: 1,
          },
        });
      }
      if (content.sticker !== undefined) {
        const url = put({ bytes: STICKER_PNG, mime: 'image/png', name: 'sticker.png' });
        out.push({
          type: 'sticker',
          sticker: {
            product_id: 1,
            sticker_id: content.sticker,
            images: [64, 128, 256, 352, 512].map((w) => ({ url, width: w, height: w })),
            images_with_background: [64, 128].map((w) => ({ url, width: w, height: w })),
          },
        });
      }
      return out;
    },

    /** An upload server POST: the multipart file part (`photo` or `file`). */
    async receive(req: IncomingMessage, url: URL, body: Buffer): Promise<Record<string, unknown>> {
      const m = url.pathname.match(/^\/upload\/(photo|doc|audio_message)\/\d+$/);
      if (!m) return { error: 'ERR_UPLOAD_BAD_URL' };
      const form = await new Request('http://upload.local', {
        method: 'POST',
        headers: { 'content-type': String(req.headers['content-type'] ?? '') },
        body: new Uint8Array(body),
      })
        .formData()
        .catch(() => null);
      const part = form?.get(m[1] === 'photo' ? 'photo' : 'file');
      if (!part || typeof part === 'string')
        return { error: 'ERR_UPLOAD_FILE_NOT_UPLOADED: file not uploaded' };
      const token = randomBytes(12).toString('hex');
      pending.set(token, {
        kind: m[1] as 'photo' | 'doc' | 'audio_message',
        bytes: Buffer.from(await part.arrayBuffer()),
        mime: part.type || 'application/octet-stream',
        name: part.name || 'file',
      });
      return m[1] === 'photo'
        ? { server: 844_001, photo: JSON.stringify([{ photo: token, sizes: [] }]), hash: token.slice(0, 8) }
        : { file: token };
    },

    /** The upload methods of the API; null for any other method. */
    method(
      c: Community,
      method: string,
      p: Record<string, string>,
    ): { response: unknown } | { error: { error_code: number; error_msg: string } } | null {
      const err = (error_code: number, error_msg: string) => ({ error: { error_code, error_msg } });
      const owner = -c.groupId;
      switch (method) {
        case 'photos.getMessagesUploadServer':
          return {
            response: {
              album_id: -3,
              upload_url: `${base()}/upload/photo/${c.groupId}`,
              user_id: 0,
              group_id: c.groupId,
            },
          };
        case 'docs.getMessagesUploadServer': {
          const type = p.type === 'audio_message' ? 'audio_message' : 'doc';
          return { response: { upload_url: `${base()}/upload/${type}/${c.groupId}` } };
        }
        case 'photos.saveMessagesPhoto': {
          let token: string | undefined;
          try {
            token = (JSON.parse(p.photo ?? '') as { photo?: string }[])[0]?.photo;
          } catch {
            token = undefined;
          }
          const f = token ? pending.get(token) : undefined;
          if (!token || !f || f.kind !== 'photo' || p.hash !== token.slice(0, 8))
            return err(100, 'One of the parameters specified was missing or invalid: photo');
          pending.delete(token);
          const photo = photoObject(owner, put(f));
          savedObjects.set(`photo${owner}_${photo.id}_${photo.access_key}`, { type: 'photo', photo });
          return { response: [photo] };
        }
        case 'docs.save': {
          const f = p.file ? pending.get(p.file) : undefined;
          if (!f || f.kind === 'photo') return err(1150, 'Invalid document id');
          pending.delete(p.file!);
          const url = put(f);
          const id = nextId++;
          if (f.kind === 'audio_message') {
            const audio = {
              id,
              owner_id: owner,
              duration: 1,
              waveform: [0, 10],
              link_ogg: url,
              link_mp3: url,
            };
            savedObjects.set(`doc${owner}_${id}`, { type: 'audio_message', audio_message: audio });
            return { response: { type: 'audio_message', audio_message: audio } };
          }
          const title = p.title || f.name;
          const doc = {
            id,
            owner_id: owner,
            title,
            size: f.bytes.length,
            ext: title.includes('.') ? title.split('.').pop() : '',
            url,
            date: Math.floor(Date.now() / 1000),
            type: 8,
          };
          savedObjects.set(`doc${owner}_${id}`, { type: 'doc', doc });
          return { response: { type: 'doc', doc } };
        }
        default:
          return null;
      }
    },

    /** What a `messages.send` attachment reference points at, as the message will carry it. */
    saved: (ref: string) => savedObjects.get(ref),
    /** The bytes behind a sent attachment (for tests and the phone page). */
    bytesOf(attachment: Record<string, unknown>): Buffer | undefined {
      const o = attachment[String(attachment.type)] as
        | { url?: string; sizes?: { url: string }[]; link_ogg?: string }
        | undefined;
      const url = o?.url ?? o?.link_ogg ?? o?.sizes?.[0]?.url;
      return url ? files.get(url.split('/cdn/')[1] ?? '')?.bytes : undefined;
    },
  };
}
