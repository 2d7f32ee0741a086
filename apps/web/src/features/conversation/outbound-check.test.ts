import type { OutboundMedia } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { formatters } from '../../i18n/format.ts';
import { translate } from '../../i18n/i18n.tsx';
import { testNaming } from '../../api/channel-types.fixture.ts';
import { outboundRefusals, typeLabel } from './outbound-check.ts';

const names = testNaming('en');

const MB = 1024 * 1024;
const whatsapp: OutboundMedia = {
  rules: [
    { kind: 'image', mimeTypes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
    { kind: 'document', mimeTypes: ['application/pdf', 'image/jpeg', 'image/png'], maxBytes: 100 * MB },
  ],
  maxTotalBytes: null,
};
const sms: OutboundMedia = {
  rules: [{ kind: 'image', mimeTypes: ['image/gif', 'image/png'], maxBytes: 5 * MB }],
  maxTotalBytes: 5 * MB,
};

describe('files checked against the channel before sending', () => {
  for (const lang of ['en', 'ru'] as const) {
    const t = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) =>
      translate(lang, k, p);
    const fmt = formatters(lang);
    it(`names the file's problem (${lang})`, () => {
      const r = outboundRefusals(
        t,
        fmt,
        { type: 'whatsapp', name: names.channel({ type: 'whatsapp', name: 'WA' }), media: whatsapp },
        [
          { key: 'gif', mimeType: 'image/gif', size: 100 },
          { key: 'png', mimeType: 'image/png', size: 100 },
          { key: 'big', mimeType: 'application/pdf', size: 101 * MB },
          { key: 'unknown-yet', mimeType: '', size: 100 },
        ],
      );
      expect([...r.byFile.keys()]).toEqual(['gif', 'big']);
      expect(r.byFile.get('gif')).toContain('WhatsApp');
      expect(r.byFile.get('gif')).toContain('GIF');
      expect(r.byFile.get('gif')).toContain('JPEG, PNG, PDF');
      expect(r.byFile.get('big')).toContain(fmt.bytes(100 * MB));
      expect(r.total).toBeNull();
    });
    it(`checks the message's total where the channel limits it (${lang})`, () => {
      const r = outboundRefusals(
        t,
        fmt,
        { type: 'twilio_sms', name: names.channel({ type: 'twilio_sms', name: 'Shop SMS' }), media: sms },
        [
          { key: 'a', mimeType: 'image/png', size: 3 * MB },
          { key: 'b', mimeType: 'image/gif', size: 3 * MB },
        ],
      );
      expect(r.byFile.size).toBe(0);
      expect(r.total).toContain('Shop SMS');
    });
  }

  it('labels types as operators know them', () => {
    expect(
      ['image/gif', 'image/jpeg', 'audio/mpeg', 'application/pdf', 'text/x-vcard'].map(typeLabel),
    ).toEqual(['GIF', 'JPEG', 'MP3', 'PDF', 'VCARD']);
  });
});
