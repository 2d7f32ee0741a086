import { Group, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';

const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export interface EmailFields {
  subject?: string;
  cc?: string[];
}

/**
 * Subject and Cc of an e-mail reply: what the composer adds for e-mail conversations. Empty subject:
 * the server answers with `Re:` and the thread's subject.
 */
export function useEmailFields(enabled: boolean) {
  const { t } = useI18n();
  const [subject, setSubject] = useState('');
  const [cc, setCc] = useState('');
  const addresses = cc
    .split(/[,;\s]+/)
    .map((a) => a.trim())
    .filter(Boolean);
  const bad = addresses.find((a) => !ADDRESS.test(a)) ?? null;
  return {
    valid: !enabled || bad === null,
    value(): EmailFields | undefined {
      if (!enabled) return undefined;
      const out: EmailFields = {};
      if (subject.trim()) out.subject = subject.trim();
      if (addresses.length) out.cc = addresses;
      return Object.keys(out).length ? out : undefined;
    },
    clear() {
      setSubject('');
      setCc('');
    },
    element: enabled ? (
      <Group gap="xs" grow data-testid="email-fields">
        <TextInput
          size="xs"
          label={t('email.subject')}
          placeholder={t('email.subjectPlaceholder')}
          value={subject}
          maxLength={250}
          onChange={(e) => setSubject(e.currentTarget.value)}
          data-testid="email-subject-input"
        />
        <TextInput
          size="xs"
          label={t('email.cc')}
          placeholder={t('email.ccPlaceholder')}
          value={cc}
          error={bad ? t('email.ccInvalid', { value: bad }) : undefined}
          onChange={(e) => setCc(e.currentTarget.value)}
          data-testid="email-cc-input"
        />
      </Group>
    ) : null,
  };
}
