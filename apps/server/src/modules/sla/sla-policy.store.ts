import type { SlaAppliesTo, SlaMetric, SlaPolicy } from '@switchboard/shared';
import type { Tx } from '../../infra/db/database.ts';
import type { Row } from '../../infra/db/schema.ts';

export function policyOfRow(r: Row<'sla_policies'>): SlaPolicy {
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    firstResponseSeconds: r.first_response_seconds,
    nextResponseSeconds: r.next_response_seconds,
    resolutionSeconds: r.resolution_seconds,
    businessHours: r.business_hours === 1,
    appliesTo: JSON.parse(r.applies_to) as SlaAppliesTo,
    active: r.active === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listPolicies(k: Tx, accountId: string): Promise<SlaPolicy[]> {
  const rows = await k
    .selectFrom('sla_policies')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map(policyOfRow);
}

export function secondsFor(p: SlaPolicy, metric: SlaMetric): number | null {
  if (metric === 'first_response') return p.firstResponseSeconds;
  if (metric === 'next_response') return p.nextResponseSeconds;
  return p.resolutionSeconds;
}

export interface ConversationScope {
  channelId: string;
  teamId: string | null;
  labels: string[];
}

/** Every list the policy gives must match; a policy with none matches every conversation. */
export function policyMatches(p: SlaPolicy, c: ConversationScope): boolean {
  const a = p.appliesTo;
  if (a.channelIds?.length && !a.channelIds.includes(c.channelId)) return false;
  if (a.teamIds?.length && (!c.teamId || !a.teamIds.includes(c.teamId))) return false;
  if (a.labels?.length && !a.labels.some((l) => c.labels.includes(l))) return false;
  return true;
}

/** Precedence: the first active policy, by position (then age), whose scope matches. */
export function choosePolicy(policies: SlaPolicy[], c: ConversationScope): SlaPolicy | null {
  return policies.find((p) => p.active && policyMatches(p, c)) ?? null;
}
