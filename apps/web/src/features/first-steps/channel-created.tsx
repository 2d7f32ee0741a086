import { Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { CheckIcon, CopyIcon } from '../../components/icons.tsx';
import { type MessageKey, useI18n } from '../../i18n/i18n.tsx';
import { firstStepsEn } from './first-steps.en.ts';

/** What a newly connected channel of this type needs next, in the admin's words (any type: a fallback). */
export function createdMessageKey(type: string): MessageKey {
  const key = `created.${type}`;
  return key in firstStepsEn ? (key as MessageKey) : 'created.other';
}

/** A block of code to paste elsewhere (the widget's snippet), with a labelled copy button under it. */
export function CopyableCode({ label, value }: { label: string; value: string }) {
  const { t } = useI18n();
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="channel-snippet">
        {value}
      </Code>
      <Group>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button
              size="xs"
              variant={copied ? 'light' : 'default'}
              color={copied ? 'green' : undefined}
              leftSection={copied ? <CheckIcon /> : <CopyIcon />}
              onClick={copy}
              data-testid="channel-snippet-copy"
              data-copied={copied}
            >
              {copied ? t('common.copied') : t('created.copySnippet')}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}
