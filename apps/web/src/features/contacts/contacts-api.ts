import { type QueryClient, keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiError, currentCsrfToken, get, qs } from '../../api/http.ts';
import type { ImportProblem, ImportResult as ServerImportResult, LabelsInUse } from '@switchboard/shared';
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
export type ImportResult = Omit<ServerImportResult, 'errors' | 'warnings'> & {
  errors: RowProblem[];
  warnings: RowProblem[];
};
export { MAX_IMPORT_ROWS } from '@switchboard/shared';

export interface ImportOptions {
  source: string;
  optIn: boolean;
  channelId: string;
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

/** Sends the file as it is (text/csv), the options in the query string. */
export async function importContactsFile(file: Blob, o: ImportOptions): Promise<ImportResult> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'text/csv' };
  const csrf = currentCsrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(
      `/api/v1/contacts/import${qs({ source: o.source, optIn: String(o.optIn), channelId: o.channelId })}`,
      { method: 'POST', headers, credentials: 'same-origin', body: file },
    );
  } catch (err) {
    throw new ApiError(0, 'network_error', (err as Error).message);
  }
  const body = (await res.json().catch(() => undefined)) as
    | (ImportResult & { error?: { code: ApiError['code']; message: string; details?: unknown } })
    | undefined;
  if (!res.ok || !body || body.error) {
    const e = body?.error;
    throw new ApiError(res.status, e?.code ?? 'unknown', e?.message ?? `${res.status}`, e?.details);
  }
  return body;
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
