import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/http.ts';
import { translate } from '../../i18n/i18n.tsx';
import {
  type BroadcastForm,
  EMPTY_FORM,
  broadcastBody,
  missingFields,
  parseContactIds,
  parseVariables,
  serverFieldErrors,
} from './broadcast-form.ts';

const form = (patch: Partial<BroadcastForm>): BroadcastForm => ({ ...EMPTY_FORM, ...patch });

describe('broadcast form', () => {
  it('reads pasted ids separated any usual way, each once', () => {
    expect(parseContactIds(' a1, b2;c3\n\na1\tD4 ')).toEqual(['a1', 'b2', 'c3', 'D4']);
    expect(parseContactIds(' \n ,')).toEqual([]);
  });

  it('keeps template variables per line, commas included, and drops trailing empty lines', () => {
    expect(parseVariables('Maria\n10%, today\n\n')).toEqual(['Maria', '10%, today']);
    expect(parseVariables('')).toEqual([]);
  });

  it('names what is missing before asking the server', () => {
    expect(missingFields(EMPTY_FORM, false)).toEqual({
      channelId: 'required',
      label: 'audience',
      text: 'required',
    });
    expect(missingFields(form({ channelId: 'c', ids: 'x', text: 'Hi' }), false)).toEqual({});
    // A template needs its name and language; only WhatsApp channels send one.
    const tpl = form({ channelId: 'c', label: 'VIP', kind: 'template', templateName: 'promo' });
    expect(missingFields(tpl, true)).toEqual({ template: 'required' });
    expect(missingFields(tpl, false)).toEqual({ text: 'required' });
  });

  it('builds the request: label and ids together, text or template by channel', () => {
    const f = form({
      name: '  Spring ',
      channelId: 'ch1',
      label: ' VIP ',
      ids: 'a, b',
      kind: 'template',
      text: 'ignored for a template',
      templateName: 'spring_sale',
      templateLanguage: 'en_US',
      templateVariables: 'Maria\n20%',
    });
    expect(broadcastBody(f, true)).toEqual({
      channelId: 'ch1',
      name: 'Spring',
      label: 'VIP',
      contactIds: ['a', 'b'],
      template: { name: 'spring_sale', language: 'en_US', bodyParameters: ['Maria', '20%'] },
    });
    expect(broadcastBody(f, false)).toEqual({
      channelId: 'ch1',
      name: 'Spring',
      label: 'VIP',
      contactIds: ['a', 'b'],
      text: 'ignored for a template',
    });
  });

  it('places the server’s validation errors at their fields, in the UI language where known', () => {
    const t = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) =>
      translate('ru', k, p);
    const err = new ApiError(400, 'validation_error', 'contactIds: 1 unknown contact(s)', [
      { path: 'body.contactIds', message: 'unknown: nope' },
      { path: 'body.text', message: 'String must contain at least 1 character(s)' },
      { path: 'body.somethingElse', message: 'odd' },
    ]);
    const { fields, other } = serverFieldErrors(t, err);
    expect(fields.contactIds).toBe('В этой учётной записи нет таких контактов: nope');
    expect(fields.text).toBe('String must contain at least 1 character(s)');
    expect(other).toEqual(['somethingElse: odd']);
    const label = new ApiError(400, 'validation_error', 'label: no contact has this label', [
      { path: 'body.label', message: 'no contact has this label' },
    ]);
    expect(serverFieldErrors(t, label).fields).toEqual({ label: 'Ни у одного контакта нет этой метки.' });
    expect(serverFieldErrors(t, new ApiError(409, 'conflict', 'inactive'))).toEqual({
      fields: {},
      other: [],
    });
  });
});

describe('broadcast form: a segment as the audience', () => {
  it('takes a segment alone as enough audience, sends its id, and places its server error at the field', () => {
    const f = form({ channelId: 'c', segmentId: 'seg-1', text: 'Hi' });
    expect(missingFields(f, false)).toEqual({});
    expect(broadcastBody(f, false)).toEqual({ channelId: 'c', segmentId: 'seg-1', text: 'Hi' });
    const err = new ApiError(400, 'validation_error', 'segmentId: no contact matches this segment', [
      { path: 'body.segmentId', message: 'no contact matches this segment' },
    ]);
    const t = (key: Parameters<typeof translate>[1], p?: Record<string, string | number>) =>
      translate('ru', key, p);
    expect(serverFieldErrors(t, err).fields).toEqual({ segmentId: 'В этом сегменте нет контактов.' });
  });
});
