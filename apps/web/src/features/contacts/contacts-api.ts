import { type QueryClient, keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiError, currentCsrfToken, get, qs } from '../../api/http.ts';
import {
  type ImportJob as ServerImportJob,
  type ImportMapping,
  type ImportPreview,
  type ImportProblem,
  type LabelsInUse,
  XLSX_TYPE,
} from '@switchboard/shared';
import type { Contact, Conversation, Page } from '../../api/types.ts';

/**
 * The import's answer (packages/shared contracts/contacts.ts), with its field and issue codes widened to
 * text: a newer server may send a code this console does not know yet, and the console then shows the
 * server's English message.
 */
export type RowIssue = Omit<ImportProblem['issues'][number], 'field' | 'code'> & {
  field: string;
  code: string;
};
export type RowProblem = Omit<ImportProblem, 'issues'> & { issues: RowIssue[] };
/** A file import's status (GET /contacts/imports/:id). */
export type ImportJob = Omit<ServerImportJob, 'errors' | 'warnings'> & {
  errors: RowProblem[];
  warnings: RowProblem[];
};
export type { ImportPreview, ImportMapping };

export interface ImportOptions {
  source: string;
  optIn: boolean;
  channelId: string;
  mapping: ImportMapping;
}

export const CONTACTS_KEY = ['contacts'] as const;

export function useContactList(q: string, label: string | null) {
  return useInfiniteQuery({
    queryKey: [...CONTACTS_KEY, q, label],
    queryFn: ({ pageParam }) =>
      get<Page<Contact>>(`/api/v1/contacts${qs({ q: q || undefined, label, limit: 50, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useLabelsInUse() {
  return useQuery({
    queryKey: ['contact-labels-in-use'],
    queryFn: () => get<LabelsInUse>('/api/v1/contacts/labels?limit=50').then((r) => r.items),
    staleTime: 30_000,
  });
}

/** The contact's latest conversation, or null when they have none yet (e.g. just imported). */
export async function latestConversationOf(contactId: string): Promise<string | null> {
  const page = await get<Page<Conversation>>(`/api/v1/conversations${qs({ contact: contactId, limit: 1 })}`);
  return page.items[0]?.id ?? null;
}

export function isXlsx(file: File): boolean {
  return file.name.toLowerCase().endsWith('.xlsx') || file.type === XLSX_TYPE;
}

/** Sends a file as it is (text/csv or XLSX), the options in the query string. */
async function sendFile<T>(url: string, file: File): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': isXlsx(file) ? XLSX_TYPE : 'text/csv',
  };
  const csrf = currentCsrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, credentials: 'same-origin', body: file });
  } catch (err) {
    throw new ApiError(0, 'network_error', (err as Error).message);
  }
  const body = (await res.json().catch(() => undefined)) as
    | (T & { error?: { code: ApiError['code']; message: string; details?: unknown } })
    | undefined;
  if (!res.ok || !body || body.error) {
    const e = body?.error;
    throw new ApiError(res.status, e?.code ?? 'unknown', e?.message ?? `${res.status}`, e?.details);
  }
  return body;
}

/** The server reads the file's columns and first rows (CSV or XLSX) and what each column can become. */
export function previewImportFile(file: File): Promise<ImportPreview> {
  return sendFile('/api/v1/contacts/import/preview', file);
}

/** Queues the import (202); follow it with getImport. */
export function startImportFile(file: File, o: ImportOptions): Promise<ImportJob> {
  const query = qs({
    source: o.source,
    optIn: String(o.optIn),
    channelId: o.channelId,
    mapping: JSON.stringify(o.mapping),
  });
  return sendFile(`/api/v1/contacts/import${query}`, file);
}

export function getImport(id: string): Promise<ImportJob> {
  return get<ImportJob>(`/api/v1/contacts/imports/${encodeURIComponent(id)}`);
}

export function importErrorsUrl(id: string): string {
  return `/api/v1/contacts/imports/${encodeURIComponent(id)}/errors`;
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;

/** Contact lists follow created and changed contacts, at most once a second (an import makes many). */
export function refreshContactLists(qc: QueryClient): void {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    void qc.invalidateQueries({ queryKey: CONTACTS_KEY });
    void qc.invalidateQueries({ queryKey: ['contact-labels-in-use'] });
  }, 1000);
}
