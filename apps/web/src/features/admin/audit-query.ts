/** The audit log screen's filter controls → the query of GET /api/v1/audit-log. */
export interface AuditFilter {
  actor: string | null;
  action: string | null;
  targetId: string;
  /** YYYY-MM-DD from the date inputs, in the admin's own time zone. */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilter = { actor: null, action: null, targetId: '', from: '', to: '' };

/** Local midnight of a YYYY-MM-DD day; `to` includes its whole day (the API's bound is exclusive). */
export function auditQuery(f: AuditFilter): Record<string, string | undefined> {
  const midnight = (d: string, plusDays = 0) => {
    const t = new Date(`${d}T00:00:00`);
    t.setDate(t.getDate() + plusDays);
    return Number.isFinite(t.getTime()) ? String(t.getTime()) : undefined;
  };
  return {
    actor: f.actor ?? undefined,
    action: f.action ?? undefined,
    targetId: f.targetId.trim() || undefined,
    from: f.from ? midnight(f.from) : undefined,
    to: f.to ? midnight(f.to, 1) : undefined,
  };
}
