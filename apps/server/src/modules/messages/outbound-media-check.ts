import {
  type OutboundMedia,
  capOutboundMedia,
  checkOutboundFile,
  fitsOutboundTotal,
} from '@switchboard/shared';
import type { AppContext } from '../../app-context.ts';
import { DomainError } from '../../lib/domain-error.ts';
import { adapterFor } from '../channels/channel-registry.ts';

/** What a channel of this type can send, its limits capped at MEDIA_MAX_BYTES. */
export function outboundMediaOf(ctx: AppContext, channelType: string): OutboundMedia {
  return capOutboundMedia(adapterFor(channelType).capabilities.outbound.media, ctx.config.mediaMaxBytes);
}

interface HeldFile {
  name: string | null;
  mimeType: string;
  size: number;
}

/**
 * Refuses a reply whose uploaded files the channel cannot carry, before anything is queued:
 * `unsupported_media_type` (the reply route answers 422) with details naming each refused file and what the channel takes.
 */
export function assertChannelCarries(ctx: AppContext, channelType: string, files: HeldFile[]): void {
  if (files.length === 0) return;
  const caps = outboundMediaOf(ctx, channelType);
  const refused = files.flatMap((f) => {
    const c = checkOutboundFile(caps, { mimeType: f.mimeType, size: f.size });
    if (c.ok) return [];
    const base = { fileName: f.name, mimeType: f.mimeType, size: f.size, reason: c.reason };
    return [c.reason === 'type' ? { ...base, allowed: c.allowed } : { ...base, maxBytes: c.maxBytes }];
  });
  const first = refused[0];
  if (first) {
    const what = first.fileName ?? first.mimeType;
    const message =
      first.reason === 'type'
        ? `This ${channelType} channel cannot send ${first.mimeType} files (${what}); allowed: ${
            'allowed' in first ? first.allowed.join(', ') : ''
          }`
        : `${what} is too large for this ${channelType} channel: at most ${'maxBytes' in first ? first.maxBytes : 0} bytes`;
    throw new DomainError('unsupported_media_type', message, { channelType, files: refused });
  }
  if (
    !fitsOutboundTotal(
      caps,
      files.map((f) => f.size),
    )
  ) {
    throw new DomainError(
      'unsupported_media_type',
      `The files together are too large for this ${channelType} channel: at most ${caps.maxTotalBytes} bytes`,
      { channelType, files: [], maxTotalBytes: caps.maxTotalBytes },
    );
  }
}
