import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../api/http.ts';
import type { Attachment, Upload } from '../../api/types.ts';
import { uuid } from '../../lib/uuid.ts';
import { type UploadHandle, uploadFile } from './upload-file.ts';

/** An upload as the message's attachment (its id is the upload's id until the server answers). */
export function asAttachment(u: Upload): Attachment {
  return { id: u.id, kind: u.kind, name: u.fileName, mimeType: u.mimeType, size: u.size, url: null };
}

/** The server takes at most this many attachments per message. */
export const MAX_ATTACHMENTS = 10;

/** A file picked, pasted or dropped into the composer, on its way to the server or there. */
export interface PendingFile {
  key: string;
  name: string;
  size: number;
  type: string;
  /** A local object URL to show an image before (and while) it uploads. */
  preview: string | null;
  progress: number;
  upload: Upload | null;
  error: ApiError | null;
}

/** Image types every browser renders; anything else gets a file icon instead of a thumbnail. */
const PREVIEWABLE = /^image\/(png|jpeg|gif|webp|bmp|avif)$/;

/**
 * The composer's pending attachments: each file uploads as soon as it is added (with progress), can be
 * removed (cancelling its upload), and once all are up their ids go out with the message.
 */
export function useAttachments() {
  const [items, setItems] = useState<PendingFile[]>([]);
  const handles = useRef(new Map<string, UploadHandle>());
  const previews = useRef(new Set<string>());

  // The list as of the last change, for event handlers (side effects stay out of state updaters).
  const current = useRef<PendingFile[]>([]);

  const update = useCallback((key: string, patch: Partial<PendingFile>) => {
    current.current = current.current.map((p) => (p.key === key ? { ...p, ...patch } : p));
    setItems(current.current);
  }, []);

  const commit = useCallback((next: PendingFile[]) => {
    current.current = next;
    setItems(next);
  }, []);

  const add = useCallback(
    (files: File[]) => {
      const room = Math.max(0, MAX_ATTACHMENTS - current.current.length);
      const added = files.slice(0, room).map((file): PendingFile => {
        const key = uuid();
        const preview = PREVIEWABLE.test(file.type) ? URL.createObjectURL(file) : null;
        if (preview) previews.current.add(preview);
        const handle = uploadFile(file, (progress) => update(key, { progress }));
        handles.current.set(key, handle);
        handle.done
          .then(
            (upload) => update(key, { upload, progress: 1 }),
            (error: ApiError) => update(key, { error }),
          )
          .finally(() => handles.current.delete(key));
        return {
          key,
          name: file.name || 'file',
          size: file.size,
          type: file.type,
          preview,
          progress: 0,
          upload: null,
          error: null,
        };
      });
      if (added.length) commit([...current.current, ...added]);
    },
    [update, commit],
  );

  /** Files already on the server (a template's, copied for this reply): nothing left to upload. */
  const addUploaded = useCallback(
    (uploads: Upload[]) => {
      const room = Math.max(0, MAX_ATTACHMENTS - current.current.length);
      const added = uploads.slice(0, room).map(
        (upload): PendingFile => ({
          key: uuid(),
          name: upload.fileName ?? 'file',
          size: upload.size,
          type: upload.mimeType,
          preview: null,
          progress: 1,
          upload,
          error: null,
        }),
      );
      if (added.length) commit([...current.current, ...added]);
    },
    [commit],
  );

  const forget = useCallback((p: PendingFile) => {
    handles.current.get(p.key)?.abort();
    handles.current.delete(p.key);
    if (p.preview) {
      URL.revokeObjectURL(p.preview);
      previews.current.delete(p.preview);
    }
  }, []);

  const remove = useCallback(
    (key: string) => {
      const p = current.current.find((x) => x.key === key);
      if (p) forget(p);
      commit(current.current.filter((x) => x.key !== key));
    },
    [forget, commit],
  );

  /** After sending: the uploads now belong to the message. */
  const clear = useCallback(() => {
    for (const p of current.current) forget(p);
    commit([]);
  }, [forget, commit]);

  useEffect(
    () => () => {
      for (const h of handles.current.values()) h.abort();
      for (const url of previews.current) URL.revokeObjectURL(url);
    },
    [],
  );

  const uploading = items.some((p) => !p.upload && !p.error);
  const failed = items.some((p) => p.error);
  const ready = items.flatMap((p) => (p.upload ? [p.upload] : []));
  return {
    items,
    add,
    addUploaded,
    remove,
    clear,
    uploading,
    failed,
    ready,
    full: items.length >= MAX_ATTACHMENTS,
  };
}
