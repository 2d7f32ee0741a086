import {
  Button,
  Code,
  Group,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
} from '@mantine/core';
import { type MessageKey, useI18n } from '../../../i18n/i18n.tsx';
import { errorAt, type FieldErrors } from './field-errors.ts';
import { type AutomaticKind, MESSAGE_LANGS, type Texts } from './routing-api.ts';

const VARIABLE_HELP: Record<string, MessageKey> = {
  next_open_time: 'routing.var.nextOpenTime',
  'contact.name': 'routing.var.contactName',
  'channel.name': 'routing.var.channelName',
};

/** Which variables a message may use, and what each stands for (the server refuses any other). */
export function VariableList({ variables }: { variables: string[] }) {
  const { t } = useI18n();
  if (variables.length === 0) return null;
  return (
    <Stack gap={2} data-testid="template-variables">
      <Text size="xs" c="dimmed">
        {t('routing.variables')}
      </Text>
      {variables.map((v) => (
        <Group key={v} gap={6} wrap="wrap">
          <Code>{`{{${v}}}`}</Code>
          {VARIABLE_HELP[v] && (
            <Text size="xs" c="dimmed">
              {t(VARIABLE_HELP[v])}
            </Text>
          )}
        </Group>
      ))}
    </Stack>
  );
}

/** One automatic message: on/off, its English and Russian texts, and for "no answer" the delay. */
export function AutomaticMessageFields({
  kind,
  enabled,
  text,
  defaults,
  onChange,
  errors,
  afterMinutes,
  onAfterMinutes,
}: {
  kind: AutomaticKind;
  enabled: boolean;
  text: Texts;
  defaults: Texts;
  onChange(v: { enabled: boolean; text: Texts }): void;
  errors: FieldErrors;
  afterMinutes?: number | '';
  onAfterMinutes?(v: number | ''): void;
}) {
  const { t } = useI18n();
  const field = `automaticMessages.${kind}`;
  const isDefault = MESSAGE_LANGS.every((l) => text[l].trim() === defaults[l]);
  return (
    <Paper withBorder p="sm" data-testid={`auto-${kind}`}>
      <Stack gap="xs">
        <Switch
          label={t(`routing.kind.${kind}`)}
          description={t(`routing.kindHelp.${kind}`)}
          checked={enabled}
          onChange={(e) => onChange({ enabled: e.currentTarget.checked, text })}
          data-testid={`auto-${kind}-enabled`}
        />
        {afterMinutes !== undefined && onAfterMinutes && (
          <NumberInput
            label={t('routing.afterMinutes')}
            min={1}
            max={1440}
            allowDecimal={false}
            w={220}
            value={afterMinutes}
            onChange={(v) => onAfterMinutes(typeof v === 'number' ? v : '')}
            error={errorAt(errors, `${field}.afterMinutes`)}
            data-testid={`auto-${kind}-after`}
          />
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xs">
          {MESSAGE_LANGS.map((lang) => (
            <Textarea
              key={lang}
              label={t(lang === 'en' ? 'routing.textEn' : 'routing.textRu')}
              autosize
              minRows={2}
              maxLength={2000}
              value={text[lang]}
              onChange={(e) => onChange({ enabled, text: { ...text, [lang]: e.currentTarget.value } })}
              error={errorAt(errors, `${field}.text.${lang}`)}
              data-testid={`auto-${kind}-${lang}`}
            />
          ))}
        </SimpleGrid>
        <Group>
          <Button
            size="compact-xs"
            variant="subtle"
            disabled={isDefault}
            onClick={() => onChange({ enabled, text: { ...defaults } })}
            data-testid={`auto-${kind}-reset`}
          >
            {t('routing.resetText')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
