import { ActionIcon } from '@mantine/core';
import { useI18n } from '../../i18n/i18n.tsx';
import { useDensity } from '../../lib/density.ts';

/** Compact rows on or off (remembered in this browser): a pressed/unpressed button. */
export function DensityToggle() {
  const { t } = useI18n();
  const [density, setDensity] = useDensity();
  const compact = density === 'compact';
  return (
    <ActionIcon
      variant={compact ? 'filled' : 'default'}
      size="input-xs"
      aria-pressed={compact}
      aria-label={t('density.label')}
      title={`${t('density.label')}: ${t('density.hint')}`}
      onClick={() => setDensity(compact ? 'comfortable' : 'compact')}
      data-testid="density-toggle"
    >
      <svg
        width={16}
        height={16}
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={2}
        strokeLinecap="round"
        aria-hidden
        focusable={false}
      >
        {compact ? <path d="M4 5h16M4 9h16M4 13h16M4 17h16M4 21h16" /> : <path d="M4 6h16M4 12h16M4 18h16" />}
      </svg>
    </ActionIcon>
  );
}
