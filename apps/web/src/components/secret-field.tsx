import { ActionIcon, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { CheckIcon, CopyIcon, EyeIcon, EyeOffIcon } from './icons.tsx';

/** A value to hand to another system: shown in monospace with a copy button, optionally masked. */
export function SecretField({
  label,
  value,
  secret = false,
  testId,
}: {
  label: string;
  value: string;
  secret?: boolean;
  testId?: string;
}) {
  const { t } = useI18n();
  const [shown, setShown] = useState(!secret);
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Group gap={6} wrap="nowrap">
        <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere', minWidth: 0 }} data-testid={testId}>
          {shown ? value : '•'.repeat(24)}
        </Text>
        {secret && (
          <ActionIcon
            variant="subtle"
            size="sm"
            onClick={() => setShown((s) => !s)}
            aria-label={shown ? t('common.hide') : t('common.show')}
          >
            {shown ? <EyeOffIcon /> : <EyeIcon />}
          </ActionIcon>
        )}
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? t('common.copied') : t('common.copy')} withArrow>
              <ActionIcon
                variant="subtle"
                size="sm"
                color={copied ? 'teal' : 'gray'}
                onClick={copy}
                aria-label={t('common.copy')}
              >
                {copied ? <CheckIcon /> : <CopyIcon />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </div>
  );
}
