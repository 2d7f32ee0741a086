import { CHANNEL_GLYPHS, channelKind } from './channel-glyphs.tsx';

/**
 * The channel's glyph in its colour. `title` is its accessible name (the channel's own name); pass
 * `decorative` where the name is written right beside it, so a screen reader does not say it twice.
 */
export function ChannelIcon({
  type,
  title,
  size = 14,
  decorative = false,
}: {
  type: string;
  title: string;
  size?: number;
  decorative?: boolean;
}) {
  const kind = channelKind(type);
  const glyph = CHANNEL_GLYPHS[kind];
  const common = {
    width: size,
    height: size,
    viewBox: '0 0 24 24',
    fill: 'none',
    stroke: 'currentColor',
    strokeWidth: 2,
    strokeLinecap: 'round' as const,
    strokeLinejoin: 'round' as const,
    focusable: false,
    'data-channel-kind': kind,
    style: { flexShrink: 0, color: glyph.color },
  };
  if (decorative)
    return (
      <svg {...common} aria-hidden>
        {glyph.draw}
      </svg>
    );
  return (
    <svg {...common} role="img" aria-label={title}>
      <title>{title}</title>
      {glyph.draw}
    </svg>
  );
}
