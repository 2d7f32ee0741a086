import type { ReactNode } from 'react';

/**
 * One drawn glyph per kind of channel, in a 24-unit box, with a colour that tells channels apart at a
 * glance. The colours are the brands' own, darkened where needed to reach the 3:1 contrast WCAG asks of
 * graphics on a white row.
 */
export interface ChannelGlyph {
  color: string;
  /** Stroked shapes (line icons) or filled ones (`fill`). */
  fill?: boolean;
  draw: ReactNode;
}

export type ChannelKind =
  | 'telegram'
  | 'whatsapp'
  | 'sms'
  | 'widget'
  | 'email'
  | 'viber'
  | 'vk'
  | 'instagram'
  | 'messenger'
  | 'api'
  | 'other';

/** The kind a channel type draws as: every SMS provider is SMS, an unknown type a plain bubble. */
export function channelKind(type: string): ChannelKind {
  if (type.endsWith('_sms') || type === 'sms') return 'sms';
  const known: ChannelKind[] = [
    'telegram',
    'whatsapp',
    'widget',
    'email',
    'viber',
    'vk',
    'instagram',
    'messenger',
    'api',
  ];
  return known.includes(type as ChannelKind) ? (type as ChannelKind) : 'other';
}

export const CHANNEL_GLYPHS: Record<ChannelKind, ChannelGlyph> = {
  // A paper plane.
  telegram: {
    color: '#1b77ad',
    draw: (
      <>
        <path d="M21.5 3.5 2.8 10.8c-.9.4-.9 1.6.1 1.9l4.6 1.5 1.8 5.6c.2.7 1.1.9 1.6.4l2.6-2.4 4.8 3.5c.6.4 1.4.1 1.6-.6l3.1-15.6c.2-.9-.7-1.6-1.5-1.2z" />
        <path d="m7.5 14.2 10-7-7.4 8.4" />
      </>
    ),
  },
  // A speech bubble with a handset.
  whatsapp: {
    color: '#12813f',
    draw: (
      <>
        <path d="M20.5 11.8a8.5 8.5 0 0 1-12.6 7.5L3.5 20.5l1.3-4.2A8.5 8.5 0 1 1 20.5 11.8z" />
        <path d="M9 8.5c0 3.5 3 6.5 6.5 6.5l1-1.5-2-1-1 .8a4.5 4.5 0 0 1-2.3-2.3l.8-1-1-2z" />
      </>
    ),
  },
  // A phone with lines of text.
  sms: {
    color: '#495057',
    draw: (
      <>
        <rect x="6" y="2" width="12" height="20" rx="2" />
        <path d="M9 7h6M9 11h6M9 15h3" />
      </>
    ),
  },
  // A site's window with a chat bubble in its corner.
  widget: {
    color: '#1864ab',
    draw: (
      <>
        <rect x="2.5" y="3.5" width="19" height="14" rx="2" />
        <path d="M2.5 7.5h19" />
        <path d="M13 11h6v4h-3l-2 2v-2h-1z" />
      </>
    ),
  },
  // An envelope.
  email: {
    color: '#b8420b',
    draw: (
      <>
        <rect x="3" y="5" width="18" height="14" rx="2" />
        <path d="m3 7 9 6 9-6" />
      </>
    ),
  },
  // A bubble with a handset and waves.
  viber: {
    color: '#6645c9',
    draw: (
      <>
        <path d="M12 2.5c5 0 8.5 2 8.5 7.5S17 17.5 12 17.5h-1.5L7 21v-3.8C4.5 16 3.5 13.5 3.5 10 3.5 4.5 7 2.5 12 2.5z" />
        <path d="M9 7.5c0 2.8 2.2 5 5 5l.8-1.2-1.6-.8-.8.6a3 3 0 0 1-1.5-1.5l.6-.8-.8-1.6zM13 5.5a3.5 3.5 0 0 1 3 3" />
      </>
    ),
  },
  // The letters V and K in a rounded square.
  vk: {
    color: '#0762d9',
    draw: (
      <>
        <rect x="2.5" y="2.5" width="19" height="19" rx="5" />
        <path d="m6.5 8.5 2.5 7 2.5-7M13.5 8.5v7M17.5 8.5l-4 3.5 4 3.5" />
      </>
    ),
  },
  // A camera: rounded square, lens and flash.
  instagram: {
    color: '#b5246f',
    draw: (
      <>
        <rect x="3" y="3" width="18" height="18" rx="5" />
        <circle cx="12" cy="12" r="4" />
        <path d="M17 7h.01" />
      </>
    ),
  },
  // A round bubble with a lightning zig-zag.
  messenger: {
    color: '#0757d6',
    draw: (
      <>
        <path d="M12 2.5c5.3 0 9.5 3.9 9.5 9s-4.2 9-9.5 9c-1 0-2-.1-2.9-.4L5.5 21.5v-3.6A8.7 8.7 0 0 1 2.5 11.5c0-5.1 4.2-9 9.5-9z" />
        <path d="m7 14 3.5-3.5 2.5 2 4-3.5-3.5 3.5-2.5-2z" />
      </>
    ),
  },
  // A plug.
  api: {
    color: '#495057',
    draw: <path d="M9 2v6M15 2v6M6 8h12v3a6 6 0 0 1-12 0zM12 17v5" />,
  },
  other: {
    color: '#495057',
    draw: <path d="M21 12a8 8 0 0 1-11.8 7L3 21l2-5.6A8 8 0 1 1 21 12z" />,
  },
};
