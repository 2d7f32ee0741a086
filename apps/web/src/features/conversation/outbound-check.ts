import { type OutboundMedia, checkOutboundFile, fitsOutboundTotal } from '@switchboard/shared';
import type { Formatters } from '../../i18n/format.ts';
import type { Translate } from '../../i18n/i18n.tsx';

/** The conversation's channel as the composer needs it to check files before they are sent. */
export interface OutboundChannel {
  type: string;
  /** How messages name it: the provider's name where it has one (`ChannelNaming.channel`). */
  name: string;
  media: OutboundMedia;
}

/** A file in the composer: its type (the server's sniffed one once uploaded) and size. */
export interface CheckedFile {
  key: string;
  mimeType: string;
  size: number;
}

const SHORT: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/svg+xml': 'SVG',
  'audio/mpeg': 'MP3',
  'audio/mp4': 'M4A',
  'video/quicktime': 'MOV',
  'video/3gpp': '3GP',
  'audio/3gpp': '3GP',
  'text/plain': 'TXT',
  'application/msword': 'DOC',
  'application/vnd.ms-excel': 'XLS',
  'application/vnd.ms-powerpoint': 'PPT',
  'application/vnd.openxmlformats-officedocument.*': 'DOCX/XLSX/PPTX',
  'text/x-vcard': 'VCARD',
};

/** A MIME type as operators know it: GIF, PNG, PDF, MP3... */
export function typeLabel(mime: string): string {
  const m = mime.toLowerCase();
  return SHORT[m] ?? (m.split('/')[1] ?? m).replace(/^x-/, '').replace(/\*$/, '').toUpperCase();
}

/**
 * Why each file cannot go to the customer on this channel (by file key), and why the files together
 * cannot (Twilio MMS), in the operator's language. Files whose type is not known yet (the browser gave
 * none and the upload is not back) are judged once uploaded.
 */
export function outboundRefusals(
  t: Translate,
  fmt: Formatters,
  channel: OutboundChannel,
  files: CheckedFile[],
): { byFile: Map<string, string>; total: string | null } {
  const byFile = new Map<string, string>();
  const name = channel.name;
  for (const f of files) {
    if (!f.mimeType) continue;
    const c = checkOutboundFile(channel.media, f);
    if (c.ok) continue;
    byFile.set(
      f.key,
      c.reason === 'type'
        ? t('composer.channelCannotSend', {
            channel: name,
            type: typeLabel(f.mimeType),
            allowed: [...new Set(c.allowed.map(typeLabel))].join(', '),
          })
        : t('composer.tooLargeFor', { channel: name, max: fmt.bytes(c.maxBytes) }),
    );
  }
  const total =
    byFile.size === 0 &&
    !fitsOutboundTotal(
      channel.media,
      files.map((f) => f.size),
    )
      ? t('composer.totalTooLargeFor', { channel: name, max: fmt.bytes(channel.media.maxTotalBytes ?? 0) })
      : null;
  return { byFile, total };
}
