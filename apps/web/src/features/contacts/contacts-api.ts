import {
  type QueryClient,
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { ApiError, currentCsrfToken, del, get, patch, post, qs } from '../../api/http.ts';
import {
  type ContactBulkResult,
  type ContactDto,
  type ContactFilter,
  type ConversationDto,
  type ExportDto,
  type Page,
  type SegmentDto,
  type SegmentInput,
  type ContactBulkBody,
  type ImportJob as ServerImportJob,
  type ImportMapping,
  type ImportPreview,
  type ImportProblem,
  type LabelsInUse,
  XLSX_TYPE,
} from '@switchboard/shared';
/** Every shape here is the server's (packages/shared contracts); nothing is restated. */
export type Contact = ContactDto;
export type { ContactBulkBody, ContactFilter, SegmentDto };

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

/** A contact filter as query parameters (an attribute filter may repeat). */
export function filterQuery(f: ContactFilter): URLSearchParams {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(f))
    for (const one of [v].flat())
      if (one !== undefined && one !== null && one !== '') u.append(k, String(one));
  return u;
}

/** Only the fields that narrow anything (what is saved in a segment or sent with an export). */
export function activeFilter(f: ContactFilter): ContactFilter {
  return Object.fromEntries(
    Object.entries(f).filter(([, v]) => v !== undefined && v !== null && v !== ''),
  ) as ContactFilter;
}

export function useContactList(filter: ContactFilter) {
  const f = activeFilter(filter);
  return useInfiniteQuery({
    queryKey: [...CONTACTS_KEY, f],
    queryFn: ({ pageParam }) => {
      const u = filterQuery(f);
      u.set('limit', '50');
      if (pageParam) u.set('cursor', pageParam);
      return get<Page<Contact>>(`/api/v1/contacts?${u}`);
    },
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
  const page = await get<Page<ConversationDto>>(
    `/api/v1/conversations${qs({ contact: contactId, limit: 1 })}`,
  );
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

export const SEGMENTS_KEY = ['segments'] as const;

export function useSegments() {
  return useQuery({
    queryKey: SEGMENTS_KEY,
    queryFn: () => get<{ items: SegmentDto[] }>('/api/v1/segments').then((r) => r.items),
    staleTime: 30_000,
  });
}

export function useSaveSegment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: SegmentInput) => post<SegmentDto>('/api/v1/segments', b),
    onSuccess: () => void qc.invalidateQueries({ queryKey: SEGMENTS_KEY }),
  });
}

export function useUpdateSegment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...b }: Partial<SegmentInput> & { id: string }) =>
      patch<SegmentDto>(`/api/v1/segments/${encodeURIComponent(id)}`, b),
    onSuccess: () => void qc.invalidateQueries({ queryKey: SEGMENTS_KEY }),
  });
}

export function useDeleteSegment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del(`/api/v1/segments/${encodeURIComponent(id)}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: SEGMENTS_KEY }),
  });
}

/** Bulk label or erase; the list and the labels in use follow. */
export function useContactBulk() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: ContactBulkBody) => post<ContactBulkResult>('/api/v1/contacts/bulk', b),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: CONTACTS_KEY });
      void qc.invalidateQueries({ queryKey: ['contact-labels-in-use'] });
    },
  });
}

/** Starts a contacts export of what the filter matches; follow it with GET /exports/:id. */
export function startContactsExport(filter: ContactFilter): Promise<ExportDto> {
  return post<ExportDto>('/api/v1/exports', {
    kind: 'contacts',
    format: 'xlsx',
    filter: { contacts: filter },
  });
}

export function useExportJob(id: string | null) {
  return useQuery({
    queryKey: ['export', id],
    queryFn: () => get<ExportDto>(`/api/v1/exports/${encodeURIComponent(id ?? '')}`),
    enabled: id !== null,
    refetchInterval: (q) => {
      const s = q.state.data?.status;
      return s === 'done' || s === 'failed' ? false : 1000;
    },
  });
}
