import type { AutomationExecution, AutomationRule, AutomationRuleInput } from '@switchboard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, post, put } from '../../api/http.ts';

const BASE = '/api/v1/automation-rules';
const KEY = ['automation-rules'];

export function useRules() {
  return useQuery({
    queryKey: KEY,
    queryFn: () => get<{ items: AutomationRule[] }>(BASE).then((r) => r.items),
  });
}

export function useExecutions(ruleId: string | null) {
  return useQuery({
    queryKey: [...KEY, ruleId, 'executions'],
    queryFn: () =>
      get<{ items: AutomationExecution[] }>(
        `${BASE}/${encodeURIComponent(ruleId!)}/executions?limit=50`,
      ).then((r) => r.items),
    enabled: ruleId !== null,
  });
}

/** Every change answers with fresh rules; the list is simply reloaded. */
export function useRuleMutations() {
  const qc = useQueryClient();
  const onSuccess = () => void qc.invalidateQueries({ queryKey: KEY });
  const id = (r: string) => `${BASE}/${encodeURIComponent(r)}`;
  return {
    save: useMutation({
      mutationFn: ({ ruleId, body }: { ruleId: string | null; body: AutomationRuleInput }) =>
        ruleId ? put<AutomationRule>(id(ruleId), body) : post<AutomationRule>(BASE, body),
      onSuccess,
    }),
    toggle: useMutation({
      mutationFn: ({ ruleId, enabled }: { ruleId: string; enabled: boolean }) =>
        post<AutomationRule>(`${id(ruleId)}/${enabled ? 'enable' : 'disable'}`),
      onSuccess,
    }),
    order: useMutation({
      mutationFn: (ids: string[]) => put<{ items: AutomationRule[] }>(`${BASE}/order`, { ids }),
      onSuccess,
    }),
    remove: useMutation({ mutationFn: (ruleId: string) => del(id(ruleId)), onSuccess }),
  };
}
