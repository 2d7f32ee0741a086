import type { ChannelTypeDto, ChannelTypesResponse, LocalizedText } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { type Lang, useI18n } from '../i18n/i18n.tsx';
import { get } from './http.ts';

export type { ChannelTypeDto };

/**
 * The channel types this server speaks, with their rules and settings forms (`GET /channel-types`).
 * The console keeps no list of types of its own: labels, forms, windows, scopes and addressing all come
 * from here, so a new channel on the server needs nothing in the console.
 */
export function useChannelTypes() {
  return useQuery({
    queryKey: ['channel-types'],
    queryFn: () => get<ChannelTypesResponse>('/api/v1/channel-types').then((r) => r.items),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function findType(types: ChannelTypeDto[] | undefined, type: string): ChannelTypeDto | undefined {
  return types?.find((t) => t.type === type);
}

export function localized(text: LocalizedText, lang: Lang): string {
  return text[lang] || text.en;
}

/** The type as operators know it; the raw type while the list is loading or for an unknown type. */
export function typeLabel(types: ChannelTypeDto[] | undefined, type: string, lang: Lang): string {
  const t = findType(types, type);
  return t ? localized(t.label, lang) : type;
}

/** A consent scope's name: that of the types declaring it (every SMS channel: "SMS"). */
export function scopeLabel(types: ChannelTypeDto[] | undefined, scope: string, lang: Lang): string {
  const t = types?.find((i) => i.capabilities.consentScope === scope);
  return t ? localized(t.consentScopeLabel, lang) : scope;
}

/** Names and rules of channel types in one language, for code that words things for operators. */
export interface ChannelNaming {
  lang: Lang;
  find(type: string): ChannelTypeDto | undefined;
  /** The type's label (the raw type while loading, or for a type this server does not list). */
  type(type: string): string;
  /** A consent scope's name. */
  scope(scope: string): string;
  /** A channel's name in a message: the provider's where it has one (WhatsApp), else the channel's. */
  channel(c: { type: string; name: string }): string;
}

export function channelNaming(types: ChannelTypeDto[] | undefined, lang: Lang): ChannelNaming {
  return {
    lang,
    find: (type) => findType(types, type),
    type: (type) => typeLabel(types, type, lang),
    scope: (scope) => scopeLabel(types, scope, lang),
    channel: (c) => findType(types, c.type)?.providerName ?? c.name,
  };
}

export function useChannelNaming(): ChannelNaming {
  const { lang } = useI18n();
  const types = useChannelTypes();
  return useMemo(() => channelNaming(types.data, lang), [types.data, lang]);
}
