import { TextInput } from '@mantine/core';
import { type FormEvent, forwardRef, useEffect, useState } from 'react';
import { qs } from '../../api/http.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { navigate } from '../../lib/router.ts';

/** Enter opens /search with the words typed. */
export const SearchBox = forwardRef<
  HTMLInputElement,
  { initial?: string; w?: number | string; autoFocus?: boolean; hrefFor?: (q: string) => string }
>(function SearchBox({ initial = '', w, autoFocus, hrefFor }, ref) {
  const { t } = useI18n();
  const [q, setQ] = useState(initial);
  useEffect(() => setQ(initial), [initial]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (q.trim()) navigate(hrefFor ? hrefFor(q.trim()) : `/search${qs({ q: q.trim() })}`);
  };
  return (
    <form onSubmit={submit} style={{ width: w }}>
      <TextInput
        ref={ref}
        size="xs"
        type="search"
        aria-label={t('search.placeholder')}
        placeholder={t('search.placeholder')}
        value={q}
        autoFocus={autoFocus}
        onChange={(e) => setQ(e.currentTarget.value)}
        data-testid="search-input"
      />
    </form>
  );
});
