import {
  type AutomaticKind,
  type Language,
  type RoutingSettings,
  type WindowSetting,
  exceptionSchema,
  routingSettingsSchema,
  weeklySchema,
} from '@switchboard/shared';
import { z } from 'zod';
import { capabilitiesOf } from '../../channels/channel-capabilities.ts';
import type { Tx } from '../../../infra/db/database.ts';
import type { Row } from '../../../infra/db/schema.ts';
import type { Schedule } from '../schedules/schedule.ts';

export {
  ASSIGNMENT_MODES,
  type AssignmentMode,
  AUTOMATIC_KINDS,
  type AutomaticKind,
  LANGUAGES,
  type Language,
  type RoutingSettings,
  routingSettingsSchema,
  TEMPLATE_VARIABLES,
  type WindowSetting,
} from '@switchboard/shared';

export const DEFAULT_TEXTS: Record<AutomaticKind, Record<Language, string>> = {
  greeting: {
    en: 'Hello! Thank you for writing to us. An operator will answer you shortly.',
    ru: 'Здравствуйте! Спасибо, что написали нам. Оператор скоро вам ответит.',
  },
  offline: {
    en: 'Thank you for your message. We are closed right now and will answer when we open: {{next_open_time}}.',
    ru: 'Спасибо за сообщение. Сейчас мы не работаем и ответим, когда откроемся: {{next_open_time}}.',
  },
  no_answer: {
    en: 'We got your message; an operator will answer soon.',
    ru: 'Мы получили ваше сообщение, оператор скоро ответит.',
  },
};

/** What {{next_open_time}} says when nobody can tell (no schedule, or no operator online). */
export const UNKNOWN_OPENING: Record<Language, string> = {
  en: 'as soon as possible',
  ru: 'как можно скорее',
};

/** Switchboard's own window where an admin asks for "unlimited" on a type that may not have it. */
export const DEFAULT_WINDOW_MS = 7 * 86_400_000;

/** The window a channel has while its admin has not chosen one (the adapter's declaration). */
export function defaultWindowFor(channelType: string): WindowSetting {
  return capabilitiesOf(channelType).window.defaultWindow;
}

/** The window that applies to a channel type: a provider's own window (WhatsApp's) is never the admin's. */
export function windowMsFor(channelType: string, setting: WindowSetting | undefined): number | null {
  const caps = capabilitiesOf(channelType).window;
  if (caps.providerWindowMs !== null) return caps.providerWindowMs;
  return settingMs(setting ?? caps.defaultWindow, caps.unlimitedAllowed);
}

/** A window setting in milliseconds; "unlimited" only where the type allows it. */
export function settingMs(w: WindowSetting, unlimitedAllowed: boolean): number | null {
  if (w.unit === 'unlimited') return unlimitedAllowed ? null : DEFAULT_WINDOW_MS;
  return w.value * (w.unit === 'hours' ? 3_600_000 : 86_400_000);
}

/** A channel's routing with its schedule resolved. */
export interface ChannelRouting {
  channelId: string;
  channelType: string;
  channelName: string;
  /** A deactivated channel sends nothing, automatic messages included. */
  channelActive: boolean;
  accountId: string;
  teamId: string | null;
  settings: RoutingSettings;
  schedule: (Schedule & { id: string; name: string }) | null;
  windowMs: number | null;
}

export function scheduleFromRow(row: Row<'schedules'>): Schedule & { id: string; name: string } {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.time_zone,
    weekly: weeklySchema.parse(JSON.parse(row.weekly)),
    exceptions: z.array(exceptionSchema).parse(JSON.parse(row.exceptions)),
  };
}

/**
 * Stored settings are re-parsed so rows written by an older version pick up new defaults. The schema
 * is strict (a typo in an admin's PUT is an error, not silently dropped), so removing a field later
 * needs a data migration, or such rows fall back to the defaults here.
 */
export function parseStoredSettings(row: Row<'channel_routing'> | undefined): RoutingSettings {
  if (!row) return routingSettingsSchema.parse({});
  const stored = JSON.parse(row.settings) as Record<string, unknown>;
  const parsed = routingSettingsSchema.safeParse({
    ...stored,
    scheduleId: row.schedule_id,
    assignment: { ...(stored.assignment as object | undefined), mode: row.assignment_mode },
  });
  return parsed.success ? parsed.data : routingSettingsSchema.parse({});
}

export async function loadChannelRouting(k: Tx, channel: Row<'channels'>): Promise<ChannelRouting> {
  const row = await k
    .selectFrom('channel_routing')
    .selectAll()
    .where('channel_id', '=', channel.id)
    .executeTakeFirst();
  const settings = parseStoredSettings(row);
  let schedule: ChannelRouting['schedule'] = null;
  if (settings.scheduleId) {
    const s = await k
      .selectFrom('schedules')
      .selectAll()
      .where('id', '=', settings.scheduleId)
      .where('account_id', '=', channel.account_id)
      .executeTakeFirst();
    schedule = s ? scheduleFromRow(s) : null;
  }
  return {
    channelId: channel.id,
    channelType: channel.type,
    channelName: channel.name,
    channelActive: channel.active === 1,
    accountId: channel.account_id,
    teamId: channel.team_id,
    settings,
    schedule,
    windowMs: windowMsFor(channel.type, settings.window),
  };
}

export async function loadChannelRoutingById(k: Tx, channelId: string): Promise<ChannelRouting> {
  const channel = await k
    .selectFrom('channels')
    .selectAll()
    .where('id', '=', channelId)
    .executeTakeFirstOrThrow();
  return loadChannelRouting(k, channel);
}

/** Text of an automatic message in the channel's language: the admin's or the built-in default. */
export function automaticText(r: ChannelRouting, kind: AutomaticKind): string {
  const a = r.settings.automaticMessages;
  const cfg = kind === 'greeting' ? a.greeting : kind === 'offline' ? a.offline : a.noAnswer;
  return cfg.text[r.settings.language] ?? DEFAULT_TEXTS[kind][r.settings.language];
}

export function automaticEnabled(r: ChannelRouting, kind: AutomaticKind): boolean {
  const a = r.settings.automaticMessages;
  return (kind === 'greeting' ? a.greeting : kind === 'offline' ? a.offline : a.noAnswer).enabled;
}

/** Any channel of the account assigns automatically (cheap guard before enqueuing routing work). */
export async function accountAutoAssigns(k: Tx, accountId: string): Promise<boolean> {
  const r = await k
    .selectFrom('channel_routing')
    .select('channel_id')
    .where('account_id', '=', accountId)
    .where('assignment_mode', '!=', 'manual')
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}
