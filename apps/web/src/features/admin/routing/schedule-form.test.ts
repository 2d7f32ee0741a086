import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/http.ts';
import { errorAt, fieldErrors, unplacedErrors } from './field-errors.ts';
import { draftFrom, newDraft, timeZones, toInput } from './schedule-form.ts';

/** Weekly hours ending at midnight plus a closed and an open exception, as the server stores them. */
const office = {
  weekly: {
    mon: [
      { from: '09:00', to: '13:00' },
      { from: '14:00', to: '24:00' },
    ],
    tue: [],
    wed: [],
    thu: [],
    fri: [],
    sat: [],
    sun: [],
  },
  exceptions: [
    { date: '2026-01-01', intervals: [], note: 'New year' },
    { date: '2026-01-10', intervals: [{ from: '10:00', to: '14:00' }] },
  ],
};

describe('schedule editor state', () => {
  it('round-trips a schedule, showing "until midnight" as 00:00 and sending it as 24:00', () => {
    const draft = draftFrom({
      id: 's1',
      name: 'Office',
      timeZone: 'Europe/Moscow',
      ...office,
      createdAt: 1,
      updatedAt: 1,
    });
    expect(draft.weekly.mon[1]).toEqual({ from: '14:00', to: '00:00' });
    expect(draft.exceptions.map((e) => e.open)).toEqual([false, true]);
    // A closed exception drops hours left over from when it was open.
    draft.exceptions[0]!.intervals = [{ from: '09:00', to: '10:00' }];
    expect(toInput({ ...draft, name: '  Office  ' })).toEqual({
      name: 'Office',
      timeZone: 'Europe/Moscow',
      ...office,
    });
  });

  it('starts a new schedule on weekdays nine to six, in a real time zone', () => {
    const d = newDraft();
    expect(d.weekly.fri).toEqual([{ from: '09:00', to: '18:00' }]);
    expect(d.weekly.sat).toEqual([]);
    expect(timeZones()[0]).toBe('UTC');
    expect(timeZones()).toContain('Europe/Moscow');
  });
});

describe('API validation errors by field', () => {
  const err = new ApiError(400, 'validation_error', 'weekly.mon.0.to: bad', [
    { path: 'body.weekly.mon.0.to', message: 'HH:MM, 00:01–24:00' },
    { path: 'body.timeZone', message: 'not an IANA time zone' },
    { path: 'body', message: 'one exception per date' },
  ]);

  it('maps each issue to its field, and finds errors under a group', () => {
    const e = fieldErrors(err);
    expect(errorAt(e, 'timeZone')).toBe('not an IANA time zone');
    expect(errorAt(e, 'weekly.mon')).toBe('HH:MM, 00:01–24:00');
    expect(errorAt(e, 'weekly.tue')).toBeUndefined();
    expect(unplacedErrors(e, ['timeZone', 'weekly'])).toEqual(['one exception per date']);
  });

  it('has nothing for other failures', () => {
    expect(fieldErrors(new ApiError(409, 'conflict', 'in use'))).toEqual({});
    expect(fieldErrors(new Error('boom'))).toEqual({});
  });
});
