import type { ChannelTypeDto } from '../../../api/channel-types.ts';
import type { AssignmentMode, AutomaticKind, ChannelRouting, MessageLang, Texts } from './routing-api.ts';

/**
 * The routing form's state and the PUT body made from it. The API returns every text filled in (the
 * built-in one where the admin wrote none); the form sends only texts that differ from the built-in
 * ones, so a channel left on the defaults picks up better defaults in a later version.
 */

export type WindowUnit = 'hours' | 'days' | 'unlimited';

/**
 * The window units an admin may pick: "unlimited" where the routing says so or, from a server that does
 * not, where the channel type's capabilities allow it (SMS, the widget).
 */
export function windowUnits(
  routing: Partial<Pick<ChannelRouting, 'windowUnlimitedAllowed'>>,
  type: ChannelTypeDto | undefined,
): WindowUnit[] {
  const unlimited = routing.windowUnlimitedAllowed ?? type?.capabilities.window.unlimitedAllowed ?? false;
  return unlimited ? ['hours', 'days', 'unlimited'] : ['hours', 'days'];
}

export interface RoutingDraft {
  scheduleId: string | null;
  language: MessageLang;
  windowUnit: WindowUnit;
  windowValue: number | '';
  mode: AssignmentMode;
  sticky: boolean;
  reassignOnOffline: boolean;
  noReplyOn: boolean;
  noReplyMinutes: number | '';
  throttleHours: number | '';
  messages: Record<AutomaticKind, { enabled: boolean; text: Texts }>;
  noAnswerAfterMinutes: number | '';
}

/** The server's name of each kind of automatic message in `defaultTexts`. */
export const SERVER_KIND: Record<AutomaticKind, 'greeting' | 'offline' | 'no_answer'> = {
  greeting: 'greeting',
  offline: 'offline',
  noAnswer: 'no_answer',
};

export function draftFromRouting(r: ChannelRouting): RoutingDraft {
  const a = r.automaticMessages;
  return {
    scheduleId: r.scheduleId,
    language: r.language,
    windowUnit: r.window.unit,
    windowValue: r.window.unit === 'unlimited' ? 7 : r.window.value,
    mode: r.assignment.mode,
    sticky: r.assignment.sticky,
    reassignOnOffline: r.assignment.reassignOnOffline,
    noReplyOn: r.assignment.noReplyReassignMinutes !== null,
    noReplyMinutes: r.assignment.noReplyReassignMinutes ?? 15,
    throttleHours: a.throttleHours,
    messages: {
      greeting: { enabled: a.greeting.enabled, text: { ...a.greeting.text } },
      offline: { enabled: a.offline.enabled, text: { ...a.offline.text } },
      noAnswer: { enabled: a.noAnswer.enabled, text: { ...a.noAnswer.text } },
    },
    noAnswerAfterMinutes: a.noAnswer.afterMinutes,
  };
}

/** An empty number field is sent as null, so the API names the field instead of silently defaulting it. */
const num = (v: number | '') => (v === '' ? null : v);

function customTexts(text: Texts, defaults: Texts): Partial<Texts> {
  const out: Partial<Texts> = {};
  for (const lang of ['en', 'ru'] as const) {
    const v = text[lang].trim();
    if (v && v !== defaults[lang]) out[lang] = v;
  }
  return out;
}

export function routingBody(d: RoutingDraft, r: ChannelRouting): Record<string, unknown> {
  const text = (k: AutomaticKind) => customTexts(d.messages[k].text, r.defaultTexts[SERVER_KIND[k]]);
  return {
    scheduleId: d.scheduleId,
    language: d.language,
    // WhatsApp's window is the provider's: the API refuses any other, so the form sends none.
    ...(r.windowFixedByProvider
      ? {}
      : {
          window:
            d.windowUnit === 'unlimited'
              ? { unit: 'unlimited' }
              : { unit: d.windowUnit, value: num(d.windowValue) },
        }),
    assignment: {
      mode: d.mode,
      sticky: d.sticky,
      reassignOnOffline: d.reassignOnOffline,
      // null means "off" here, so an empty field on an enabled switch goes as it is and is refused.
      noReplyReassignMinutes: d.noReplyOn ? d.noReplyMinutes : null,
    },
    automaticMessages: {
      throttleHours: num(d.throttleHours),
      greeting: { enabled: d.messages.greeting.enabled, text: text('greeting') },
      offline: { enabled: d.messages.offline.enabled, text: text('offline') },
      noAnswer: {
        enabled: d.messages.noAnswer.enabled,
        afterMinutes: num(d.noAnswerAfterMinutes),
        text: text('noAnswer'),
      },
    },
  };
}
