import { ruleInputSchema } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { emptyDraft, fromRule, newAction, newCondition, toInput } from './rule-draft.ts';

describe('rule draft', () => {
  it('turns the form into the API body the server accepts, and back', () => {
    const d = emptyDraft();
    d.name = 'Refunds';
    d.conditions = [{ ...newCondition('message.text'), values: ['возврат', 'refund'] }];
    d.actions = [
      { ...newAction('add_label'), label: 'refund' },
      { ...newAction('set_priority'), priority: 'high' },
    ];
    const body = toInput(d);
    expect(body).toEqual({
      name: 'Refunds',
      event: 'message.created',
      match: 'all',
      conditions: [{ field: 'message.text', op: 'contains_any', value: ['возврат', 'refund'] }],
      actions: [
        { type: 'add_label', label: 'refund' },
        { type: 'set_priority', priority: 'high' },
      ],
      enabled: true,
    });
    expect(ruleInputSchema.safeParse(body).success).toBe(true);
    const back = fromRule({
      ...ruleInputSchema.parse(body),
      id: 'r1',
      delayMinutes: null,
      position: 1,
      webhookSecret: 's',
      createdAt: 0,
      updatedAt: 0,
    });
    expect(toInput(back)).toEqual(body);
  });

  it('writes time-based delays in minutes and attribute fields with their key', () => {
    const d = emptyDraft();
    d.name = 'Close silent';
    d.event = 'conversation.no_customer_reply';
    d.delay = 3;
    d.delayUnit = 'days';
    d.conditions = [{ ...newCondition('contact.attributes.*'), attribute: 'plan', op: 'eq', text: 'gold' }];
    d.actions = [{ ...newAction('set_status'), status: 'resolved' }];
    const body = toInput(d);
    expect(body.delayMinutes).toBe(4320);
    expect(body.conditions).toEqual([{ field: 'contact.attributes.plan', op: 'eq', value: 'gold' }]);
    expect(ruleInputSchema.safeParse(body).success).toBe(true);
    const back = fromRule({
      ...ruleInputSchema.parse(body),
      id: 'r',
      delayMinutes: 4320,
      position: 1,
      webhookSecret: 's',
      createdAt: 0,
      updatedAt: 0,
    });
    expect(back).toMatchObject({ delay: 3, delayUnit: 'days' });
    expect(back.conditions[0]).toMatchObject({ field: 'contact.attributes.*', attribute: 'plan' });
  });
});
