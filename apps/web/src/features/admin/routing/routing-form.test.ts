import { describe, expect, it } from 'vitest';
import type { ChannelRouting } from './routing-api.ts';
import { CHANNEL_TYPES_FIXTURE } from '../../../api/channel-types.fixture.ts';
import { draftFromRouting, routingBody, windowUnits } from './routing-form.ts';

const texts = (s: string) => ({ en: `${s} (en)`, ru: `${s} (ru)` });
const defaults = { greeting: texts('hi'), offline: texts('closed'), no_answer: texts('soon') };

const routing: ChannelRouting = {
  channelId: 'c1',
  scheduleId: null,
  language: 'en',
  window: { unit: 'days', value: 7 },
  windowMs: 7 * 86_400_000,
  windowFixedByProvider: false,
  windowUnlimitedAllowed: false,
  assignment: { mode: 'manual', sticky: true, reassignOnOffline: true, noReplyReassignMinutes: null },
  automaticMessages: {
    throttleHours: 12,
    greeting: { enabled: false, text: defaults.greeting },
    offline: { enabled: true, text: { ...defaults.offline, ru: 'Мы закрыты до {{next_open_time}}' } },
    noAnswer: { enabled: false, afterMinutes: 5, text: defaults.no_answer },
  },
  defaultTexts: defaults,
  templateVariables: ['next_open_time'],
};

describe('routing form', () => {
  it('sends only texts that differ from the built-in ones, and "no reassignment" as null', () => {
    const body = routingBody(draftFromRouting(routing), routing);
    expect(body).toEqual({
      scheduleId: null,
      language: 'en',
      window: { unit: 'days', value: 7 },
      assignment: { mode: 'manual', sticky: true, reassignOnOffline: true, noReplyReassignMinutes: null },
      automaticMessages: {
        throttleHours: 12,
        greeting: { enabled: false, text: {} },
        offline: { enabled: true, text: { ru: 'Мы закрыты до {{next_open_time}}' } },
        noAnswer: { enabled: false, afterMinutes: 5, text: {} },
      },
    });
  });

  it('sends the edited window, mode and delay; an empty number goes to the API to be refused there', () => {
    const d = draftFromRouting(routing);
    d.windowUnit = 'hours';
    d.windowValue = 48;
    d.mode = 'least_loaded';
    d.noReplyOn = true;
    d.noReplyMinutes = 10;
    d.throttleHours = '';
    d.messages.greeting.text.en = '  ';
    const body = routingBody(d, routing) as {
      window: unknown;
      assignment: { mode: string; noReplyReassignMinutes: unknown };
      automaticMessages: { throttleHours: unknown; greeting: { text: unknown } };
    };
    expect(body.window).toEqual({ unit: 'hours', value: 48 });
    expect(body.assignment).toMatchObject({ mode: 'least_loaded', noReplyReassignMinutes: 10 });
    expect(body.automaticMessages.throttleHours).toBeNull();
    expect(body.automaticMessages.greeting.text).toEqual({});
  });

  it("leaves WhatsApp's window to the provider", () => {
    const wa = { ...routing, window: { unit: 'hours', value: 24 } as const, windowFixedByProvider: true };
    expect(routingBody(draftFromRouting(wa), wa)).not.toHaveProperty('window');
  });

  it('offers an unlimited window where the channel type allows it, also when the server does not say', () => {
    const type = (t: string) => CHANNEL_TYPES_FIXTURE.find((i) => i.type === t);
    const older = { windowUnlimitedAllowed: undefined };
    // The console's own list had drifted: it lacked SMS, whose window is unlimited by default.
    expect(windowUnits(older, type('twilio_sms'))).toContain('unlimited');
    expect(windowUnits(older, type('widget'))).toContain('unlimited');
    expect(windowUnits(older, type('telegram'))).not.toContain('unlimited');
    expect(windowUnits(older, undefined)).toEqual(['hours', 'days']);
    expect(windowUnits({ windowUnlimitedAllowed: false }, type('twilio_sms'))).toEqual(['hours', 'days']);
  });
});
