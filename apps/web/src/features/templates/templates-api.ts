import type {
  TemplateCreateBody,
  TemplateDto,
  TemplateImportResult,
  TemplatePatchBody,
  TemplatePreviewDto,
  TemplateScope,
} from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { ApiError, currentCsrfToken, del, get, patch, post, qs } from '../../api/http.ts';

/** The composer's "/" list reads the same key, so changes here show there at once. */
export const TEMPLATES_KEY = ['templates'];
const base = '/api/v1/templates';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const EXPORT_URL = `${base}/export.csv`;

export function useTemplateList() {
  return useQuery({
    queryKey: TEMPLATES_KEY,
    queryFn: () => get<{ items: TemplateDto[] }>(base).then((r) => r.items),
    staleTime: 60_000,
  });
}

export const createTemplate = (b: TemplateCreateBody) => post<TemplateDto>(base, b);
export const changeTemplate = (id: string, b: TemplatePatchBody) => patch<TemplateDto>(one(id), b);
export const deleteTemplate = (id: string) => del(one(id));
export const attachFile = (id: string, uploadId: string) =>
  post<TemplateDto>(`${one(id)}/attachments`, { uploadId });
export const detachFile = (id: string, attachmentId: string) =>
  del<TemplateDto>(`${one(id)}/attachments/${encodeURIComponent(attachmentId)}`);
export const previewText = (text: string, conversationId?: string) =>
  post<TemplatePreviewDto>(`${base}/preview`, { text, conversationId });

/** One row the import refused (the server writes nothing when any row is refused). */
export interface ImportRowError {
  row: number;
  message: string;
}

/** Sends the picked file as text/csv; a refused import throws ApiError with the rows in `details`. */
export async function importCsv(file: File, dryRun: boolean): Promise<TemplateImportResult> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'text/csv' };
  const csrf = currentCsrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(`${base}/import${qs({ dryRun: String(dryRun) })}`, {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body: await file.text(),
    });
  } catch (err) {
    throw new ApiError(0, 'network_error', (err as Error).message);
  }
  const body = (await res.json().catch(() => undefined)) as
    | (TemplateImportResult & { error?: { code: ApiError['code']; message: string; details?: unknown } })
    | undefined;
  if (!res.ok || !body || body.error) {
    const e = body?.error;
    throw new ApiError(res.status, e?.code ?? 'unknown', e?.message ?? `${res.status}`, e?.details);
  }
  return body;
}

export function rowErrorsOf(err: unknown): ImportRowError[] {
  const d = err instanceof ApiError ? err.details : undefined;
  return Array.isArray(d)
    ? d.filter((x): x is ImportRowError => typeof x?.row === 'number' && typeof x?.message === 'string')
    : [];
}

export type { TemplateDto, TemplateScope };
