import type {
  CenterStatusDto,
  ChannelCenterStatusDto,
  ChannelRoutingDto,
  LocalizedText,
  ScheduleDto,
  ScheduleStatus,
} from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { get } from '../../../api/http.ts';

/** The routing API's shapes, inferred from packages/shared/src/contracts, under the console's names. */

export {
  WEEKDAYS,
  type Weekday,
  type Interval,
  type ScheduleException,
  type ScheduleInput,
  type ScheduleStatus,
} from '@switchboard/shared';
export type Schedule = ScheduleDto;

export { ASSIGNMENT_MODES, type AssignmentMode, type WindowSetting } from '@switchboard/shared';
/** The console's names of the automatic messages (the server's `no_answer` is `noAnswer` here). */
export const AUTOMATIC_KINDS = ['greeting', 'offline', 'noAnswer'] as const;
export type AutomaticKind = (typeof AUTOMATIC_KINDS)[number];
export { LANGUAGES as MESSAGE_LANGS, type Language as MessageLang } from '@switchboard/shared';
export type Texts = LocalizedText;
export type ChannelRouting = ChannelRoutingDto;

export { CENTER_MODES, type CenterMode, type CenterReason } from '@switchboard/shared';
export type ChannelCenterStatus = ChannelCenterStatusDto;
export type CenterStatus = CenterStatusDto;

const enc = encodeURIComponent;

export function useSchedules() {
  return useQuery({
    queryKey: ['schedules'],
    queryFn: () => get<{ items: Schedule[] }>('/api/v1/schedules').then((r) => r.items),
  });
}

/** Open now / next opening; refreshed each minute so "open now" turns over on its own. */
export function useScheduleStatus(id: string) {
  return useQuery({
    queryKey: ['schedules', id, 'status'],
    queryFn: () => get<ScheduleStatus>(`/api/v1/schedules/${enc(id)}/status`),
    refetchInterval: 60_000,
  });
}

export function useChannelRouting(channelId: string | null) {
  return useQuery({
    queryKey: ['channel-routing', channelId],
    queryFn: () => get<ChannelRouting>(`/api/v1/channels/${enc(channelId!)}/routing`),
    enabled: channelId !== null,
  });
}

/** Presence changes it too, so it is refreshed every 30 s while shown. */
export function useCenterStatus() {
  return useQuery({
    queryKey: ['center-status'],
    queryFn: () => get<CenterStatus>('/api/v1/center/status'),
    refetchInterval: 30_000,
  });
}
