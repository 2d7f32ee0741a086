import type { AppFixture } from '../../../test/use-test-app.ts';
import { expect } from 'vitest';
import type { Session } from '../../../test/test-app.ts';

export const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);
export const BUSINESS = '+15550001111';

export interface Contact {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  identities: { channel: { id: string }; externalId: string }[];
  labels: string[];
  consent: { scope: string; status: string }[];
}

/** The contact import suites' steps on a `useTestApp`: posting a file or JSON, reading contacts back. */
export function importKit(t: AppFixture) {
  /** Posts a file; a queued import (202) is run by the worker and answered with its final status. */
  const csv = async (s: Session, text: string | Buffer, query: string, type = 'text/csv; charset=utf-8') => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/import?${query}`,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': type },
      payload: text,
    });
    if (res.statusCode !== 202) return { statusCode: res.statusCode, body: res.body, json: () => res.json() };
    expect(res.json()).toMatchObject({ id: expect.any(String), status: 'queued', processed: 0 });
    await t.drainJobs();
    const status = await t.as(s, 'GET', `/api/v1/contacts/imports/${res.json().id}`);
    expect(status.statusCode, status.body).toBe(200);
    return { statusCode: 202, body: status.body, json: () => status.json() };
  };
  const json = (s: Session, body: unknown) => t.as(s, 'POST', '/api/v1/contacts/import', body);
  const contacts = async (s: Session = t.admin, q = ''): Promise<Contact[]> => {
    const res = await t.as(s, 'GET', `/api/v1/contacts?limit=200${q}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  };
  const byName = async (name: string) => (await contacts()).find((c) => c.name === name);
  const consentOf = async (id: string) =>
    (await t.as(t.admin, 'GET', `/api/v1/contacts/${id}/consent`)).json().items;
  return { csv, json, contacts, byName, consentOf };
}
