import { conditionSchema } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { evaluateConditions } from './condition-evaluator.ts';
import { testRegex } from './regex-guard.ts';
import type { RuleFacts } from './rule-facts.types.ts';

const facts = (over: Partial<RuleFacts> = {}): RuleFacts => ({
  message: { text: 'Хочу оформить возврата денег, please refund me', direction: 'in' },
  channel: { id: 'ch1', type: 'telegram' },
  contact: { labels: ['VIP'], attributes: { plan: 'Gold', language: 'ru-RU', orders: 3 } },
  conversation: {
    status: 'open',
    priority: 'none',
    teamId: null,
    assigneeId: null,
    labels: ['billing'],
    attributes: {},
  },
  businessHoursOpen: true,
  ...over,
});

const cond = (field: string, op: string, value?: unknown) => conditionSchema.parse({ field, op, value });
const all = (...c: ReturnType<typeof cond>[]) => evaluateConditions('all', c, facts()).matched;

describe('condition evaluator', () => {
  it('finds Russian and English word forms with the search stemmer', () => {
    expect(all(cond('message.text', 'contains_any', ['возврат']))).toBe(true);
    expect(all(cond('message.text', 'contains_any', ['refunded']))).toBe(true);
    expect(all(cond('message.text', 'contains_any', ['доставка', 'shipping']))).toBe(false);
    expect(all(cond('message.text', 'not_contains_any', ['доставка']))).toBe(true);
    expect(all(cond('message.text', 'contains_any', ['оформить возврат']))).toBe(true);
  });

  it('tests regular expressions case-insensitively and stops a catastrophic one in time', () => {
    expect(all(cond('message.text', 'matches_regex', 'REFUND\\s+me'))).toBe(true);
    const started = Date.now();
    const ev = evaluateConditions(
      'all',
      [cond('message.text', 'matches_regex', '(a+)+$')],
      facts({ message: { text: `${'a'.repeat(40)}!`, direction: 'in' } }),
    );
    expect(ev.matched).toBe(false);
    expect(ev.errors[0]).toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(testRegex('(a+)+$', `${'a'.repeat(40)}!`)).toBe('timeout');
  });

  it('tests channel, contact, conversation and business hours', () => {
    expect(all(cond('channel.type', 'in', ['telegram', 'whatsapp']))).toBe(true);
    expect(all(cond('channel.id', 'not_in', ['ch1']))).toBe(false);
    expect(all(cond('contact.labels', 'has_any', ['vip']))).toBe(true);
    expect(all(cond('contact.attributes.plan', 'eq', 'gold'))).toBe(true);
    expect(all(cond('contact.attributes.orders', 'eq', 3))).toBe(true);
    expect(all(cond('contact.attributes.plan', 'contains', 'OL'))).toBe(true);
    expect(all(cond('contact.attributes.missing', 'is_not_set'))).toBe(true);
    expect(all(cond('contact.attributes.missing', 'neq', 'x'))).toBe(false);
    expect(all(cond('contact.language', 'in', ['ru']))).toBe(true);
    expect(all(cond('conversation.status', 'in', ['open', 'pending']))).toBe(true);
    expect(all(cond('conversation.priority', 'not_in', ['high', 'urgent']))).toBe(true);
    expect(all(cond('conversation.team', 'is_not_set'))).toBe(true);
    expect(all(cond('conversation.labels', 'has_all', ['billing']))).toBe(true);
    expect(all(cond('conversation.labels', 'has_none', ['billing']))).toBe(false);
    expect(all(cond('business_hours', 'is', 'open'))).toBe(true);
    expect(all(cond('business_hours', 'is', 'closed'))).toBe(false);
    expect(all(cond('message.direction', 'is', 'in'))).toBe(true);
  });

  it('combines with all and any; no conditions always match', () => {
    const c = [cond('channel.type', 'in', ['sms']), cond('contact.labels', 'has_any', ['VIP'])];
    expect(evaluateConditions('all', c, facts()).matched).toBe(false);
    expect(evaluateConditions('any', c, facts()).matched).toBe(true);
    expect(evaluateConditions('all', [], facts()).matched).toBe(true);
  });

  it('treats an unknown language and a missing message as not set', () => {
    const f = facts({ contact: { labels: [], attributes: {} }, message: null });
    expect(evaluateConditions('all', [cond('contact.language', 'is_not_set')], f).matched).toBe(true);
    expect(evaluateConditions('all', [cond('contact.language', 'in', ['en'])], f).matched).toBe(false);
    expect(evaluateConditions('all', [cond('message.text', 'contains_any', ['refund'])], f).matched).toBe(
      false,
    );
  });

  it('refuses operators that do not fit the field, and bad values', () => {
    expect(
      conditionSchema.safeParse({ field: 'conversation.status', op: 'contains_any', value: ['x'] }).success,
    ).toBe(false);
    expect(
      conditionSchema.safeParse({ field: 'conversation.status', op: 'in', value: ['closed'] }).success,
    ).toBe(false);
    expect(
      conditionSchema.safeParse({ field: 'message.text', op: 'matches_regex', value: '(' }).success,
    ).toBe(false);
    expect(conditionSchema.safeParse({ field: 'nope', op: 'in', value: ['x'] }).success).toBe(false);
    expect(conditionSchema.safeParse({ field: 'business_hours', op: 'is', value: 'maybe' }).success).toBe(
      false,
    );
  });
});
