/**
 * A small glyph per channel type (the API channel is a plug, SMS a phone with lines of text; others get
 * a speech bubble until drawn).
 */
export function ChannelIcon({ type, title }: { type: string; title: string }) {
  const common = {
    width: 14,
    height: 14,
    viewBox: '0 0 24 24',
    fill: 'none',
    stroke: 'currentColor',
    strokeWidth: 2,
    strokeLinecap: 'round' as const,
    strokeLinejoin: 'round' as const,
    style: { flexShrink: 0, color: 'var(--mantine-color-gray-6)' },
    role: 'img',
    'aria-label': title,
  };
  if (type === 'twilio_sms')
    return (
      <svg {...common}>
        <title>{title}</title>
        <rect x="6" y="2" width="12" height="20" rx="2" />
        <path d="M9 7h6M9 11h6M9 15h3" />
      </svg>
    );
  if (type === 'api')
    return (
      <svg {...common}>
        <title>{title}</title>
        <path d="M9 2v6M15 2v6M6 8h12v3a6 6 0 0 1-12 0zM12 17v5" />
      </svg>
    );
  return (
    <svg {...common}>
      <title>{title}</title>
      <path d="M21 12a8 8 0 0 1-11.8 7L3 21l2-5.6A8 8 0 1 1 21 12z" />
    </svg>
  );
}
