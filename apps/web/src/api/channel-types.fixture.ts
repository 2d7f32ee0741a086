import type { ChannelTypeDto } from '@switchboard/shared';
import type { Lang } from '../i18n/i18n.tsx';
import { type ChannelNaming, channelNaming } from './channel-types.ts';
import fixture from './channel-types.fixture.json';

/**
 * The server's `GET /channel-types` answer for the built-in types (default MEDIA_MAX_BYTES), for console
 * tests. A server test (channel-types.routes.test.ts) fails when a type's declaration no longer matches it.
 */
export const CHANNEL_TYPES_FIXTURE = fixture.items as ChannelTypeDto[];

export function testNaming(lang: Lang): ChannelNaming {
  return channelNaming(CHANNEL_TYPES_FIXTURE, lang);
}
