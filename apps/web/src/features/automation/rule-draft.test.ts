import { AUTOMATION_FIELDS, ruleInputSchema } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { automationEn } from './automation.en.ts';
import { automationRu } from './automation.ru.ts';
import { emptyDraft, fromRule, newAction, newCondition, opsOf, toInput } from './rule-draft.ts';

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

  it('takes a conversation attribute like a customer one: the key typed apart, stored under its prefix', () => {
    const d = emptyDraft();
    d.name = 'VIP orders';
    d.conditions = [
      { ...newCondition('conversation.attributes.*'), attribute: 'order_number', op: 'is_set' },
    ];
    d.actions = [{ ...newAction('set_priority'), priority: 'high' }];
    const body = toInput(d);
    expect(body.conditions).toEqual([{ field: 'conversation.attributes.order_number', op: 'is_set' }]);
    expect(ruleInputSchema.safeParse(body).success).toBe(true);
    const back = fromRule({
      ...ruleInputSchema.parse(body),
      id: 'r',
      delayMinutes: 0,
      position: 1,
      webhookSecret: 's',
      createdAt: 0,
      updatedAt: 0,
    });
    expect(back.conditions[0]).toMatchObject({
      field: 'conversation.attributes.*',
      attribute: 'order_number',
    });
  });

  it('offers every field the server knows with a label and operators in both languages', () => {
    for (const field of Object.keys(AUTOMATION_FIELDS)) {
      expect(opsOf(field).length, field).toBeGreaterThan(0);
      expect((automationEn as Record<string, string>)[`automation.field.${field}`], field).toBeTruthy();
      expect((automationRu as Record<string, string>)[`automation.field.${field}`], field).toBeTruthy();
    }
  });
});
