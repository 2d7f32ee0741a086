import { expect } from 'vitest';
import type { TestApp } from '../../../test/test-app.ts';

/** Builders shared by the automation suites. */
export async function createRule(t: TestApp, body: Record<string, unknown>): Promise<string> {
  const res = await t.as(t.admin, 'POST', '/api/v1/automation-rules', {
    match: 'all',
    conditions: [],
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

export interface Run {
  outcome: string;
  conversationId: string | null;
  actions: { type: string; status: string; detail: string | null }[];
  error: string | null;
}

export async function runsOf(t: TestApp, ruleId: string): Promise<Run[]> {
  const res = await t.as(t.admin, 'GET', `/api/v1/automation-rules/${ruleId}/executions?limit=200`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as Run[];
}
