import { describe, expect, it } from 'vitest';
import { auditQuery, EMPTY_AUDIT_FILTER } from './audit-query.ts';

describe('audit log filter → query', () => {
  it('sends nothing for an empty filter', () => {
    expect(Object.values(auditQuery(EMPTY_AUDIT_FILTER)).filter((v) => v !== undefined)).toEqual([]);
  });

  it('turns local days into a half-open range that includes the whole "to" day', () => {
    const q = auditQuery({ ...EMPTY_AUDIT_FILTER, from: '2026-03-01', to: '2026-03-31' });
    expect(q.from).toBe(String(new Date(2026, 2, 1).getTime()));
    expect(q.to).toBe(String(new Date(2026, 3, 1).getTime()));
  });

  it('passes actor, action and a trimmed record id', () => {
    expect(
      auditQuery({ ...EMPTY_AUDIT_FILTER, actor: 'system', action: 'user.role_changed', targetId: ' u1 ' }),
    ).toMatchObject({ actor: 'system', action: 'user.role_changed', targetId: 'u1' });
  });
});
