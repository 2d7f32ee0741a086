import type { ErrorCode } from '@switchboard/shared';
import { ApiError, currentCsrfToken } from '../../api/http.ts';
import type { Upload } from '../../api/types.ts';

export interface UploadHandle {
  done: Promise<Upload>;
  abort(): void;
}

/**
 * Sends one file to `POST /api/v1/uploads` as multipart/form-data. XMLHttpRequest rather than fetch:
 * only it reports upload progress. Failures reject with ApiError (the server's code and details, e.g.
 * `body_too_large` with `{maxBytes}`), network trouble as `network_error`.
 */
export function uploadFile(file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Upload>((resolve, reject) => {
    xhr.open('POST', '/api/v1/uploads');
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    const csrf = currentCsrfToken();
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The upload did not reach the server'));
    xhr.onabort = () => reject(new ApiError(0, 'network_error', 'The upload was cancelled'));
    xhr.onload = () => {
      let json: unknown;
      try {
        json = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        json = undefined;
      }
      if (xhr.status === 201 && json) {
        onProgress(1);
        return resolve(json as Upload);
      }
      const e = (json as { error?: { code?: ErrorCode; message?: string; details?: unknown } } | undefined)
        ?.error;
      reject(new ApiError(xhr.status, e?.code ?? 'unknown', e?.message ?? `HTTP ${xhr.status}`, e?.details));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
