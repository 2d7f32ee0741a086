import { SegmentedControl } from '@mantine/core';
import { LANGS, type Lang, useI18n } from '../i18n/i18n.tsx';

/** Each language is named in itself, so anyone can find their own. */
export function LanguageSwitch({ size = 'xs' }: { size?: 'xs' | 'sm' }) {
  const { lang, setLang, t } = useI18n();
  return (
    <SegmentedControl
      size={size}
      aria-label={t('common.language')}
      value={lang}
      onChange={(v) => setLang(v as Lang)}
      data={LANGS}
    />
  );
}
