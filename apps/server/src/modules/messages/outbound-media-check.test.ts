import { capOutboundMedia, checkOutboundFile, fitsOutboundTotal } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { channelTypes, adapterFor } from '../channels/channel-registry.ts';
import { telegramOutboundMedia } from '../channels/telegram/telegram-media.ts';
import { twilioOutboundMedia } from '../channels/twilio/twilio-media.ts';
import { whatsappOutboundMedia } from '../channels/whatsapp/whatsapp-media.ts';
import { uploadType } from '../channels/whatsapp/whatsapp-send.ts';

const MB = 1024 * 1024;

describe('Outbound media capabilities', () => {
  it('every channel type declares them', () => {
    for (const type of channelTypes())
      expect(adapterFor(type).capabilities.outbound.media.rules.length).toBeGreaterThan(0);
  });

  it('WhatsApp: the declaration agrees with what the send path uploads (the last guard)', () => {
    const samples: [string, number][] = [
      ['image/png', 1000],
      ['image/jpeg', 6 * MB],
      ['image/gif', 1000],
      ['image/webp', 1000],
      ['video/mp4', 15 * MB],
      ['video/quicktime', 1000],
      ['audio/ogg', 1000],
      ['application/pdf', 99 * MB],
      ['application/pdf', 101 * MB],
      ['application/zip', 1000],
      ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 1000],
      ['text/plain', 10],
    ];
    for (const [mimeType, size] of samples) {
      const declared = checkOutboundFile(whatsappOutboundMedia, { mimeType, size });
      const sent = uploadType(mimeType, size);
      expect(declared.ok, `${mimeType} ${size}`).toBe(!('error' in sent));
      if (declared.ok && 'type' in sent) expect(declared.kind).toBe(sent.type);
    }
  });

  it('says why a file is refused: its type (with what is allowed) or its size (with the limit)', () => {
    expect(checkOutboundFile(whatsappOutboundMedia, { mimeType: 'image/gif', size: 10 })).toMatchObject({
      ok: false,
      reason: 'type',
      allowed: expect.arrayContaining(['image/jpeg', 'image/png']),
    });
    expect(checkOutboundFile(telegramOutboundMedia, { mimeType: 'video/mp4', size: 51 * MB })).toEqual({
      ok: false,
      reason: 'size',
      maxBytes: 50 * MB,
    });
    // A photo over Telegram's photo limit still goes, as a document.
    expect(checkOutboundFile(telegramOutboundMedia, { mimeType: 'image/png', size: 20 * MB })).toEqual({
      ok: true,
      kind: 'file',
    });
    expect(fitsOutboundTotal(twilioOutboundMedia, [3 * MB, 3 * MB])).toBe(false);
    expect(fitsOutboundTotal(twilioOutboundMedia, [2 * MB, 3 * MB])).toBe(true);
  });

  it('limits never exceed MEDIA_MAX_BYTES', () => {
    const capped = capOutboundMedia(twilioOutboundMedia, 1000);
    expect(capped.maxTotalBytes).toBe(1000);
    expect(capped.rules.every((r) => r.maxBytes === 1000)).toBe(true);
  });
});
