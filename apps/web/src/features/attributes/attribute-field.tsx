import { Anchor, Checkbox, Select, Stack, Text, TextInput } from '@mantine/core';
import type { AttributeDefinition } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { errorText } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

type Value = string | number | boolean | null;

function asText(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/**
 * One attribute's editor by its type; saves when the operator leaves a typed field (Enter too) or
 * picks a value. The server checks the value again and its refusal shows under the field.
 */
export function AttributeField({
  def,
  value,
  onSave,
}: {
  def: AttributeDefinition;
  value: unknown;
  onSave(value: Value): Promise<unknown>;
}) {
  const { t } = useI18n();
  const [text, setText] = useState(asText(value));
  const [error, setError] = useState<unknown>(null);
  // Another console's change (or a save) replaces the draft.
  useEffect(() => setText(asText(value)), [value]);
  const save = (v: Value) => {
    setError(null);
    onSave(v).catch(setError);
  };
  const commit = () => {
    if (text.trim() === asText(value)) return;
    const raw = text.trim();
    save(raw === '' ? null : def.type === 'number' ? Number(raw) : raw);
  };
  const testId = `attribute-field-${def.key}`;
  const input = (() => {
    switch (def.type) {
      case 'checkbox':
        return (
          <Checkbox
            label={def.label}
            checked={value === true}
            onChange={(e) => save(e.currentTarget.checked)}
            data-testid={testId}
          />
        );
      case 'list':
        return (
          <Select
            size="xs"
            label={def.label}
            data={def.options}
            value={typeof value === 'string' ? value : null}
            onChange={(v) => save(v)}
            clearable
            comboboxProps={{ withinPortal: true }}
            data-testid={testId}
          />
        );
      default:
        return (
          <TextInput
            size="xs"
            label={def.label}
            type={
              def.type === 'number'
                ? 'number'
                : def.type === 'date'
                  ? 'date'
                  : def.type === 'link'
                    ? 'url'
                    : 'text'
            }
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            onBlur={commit}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit();
            }}
            data-testid={testId}
          />
        );
    }
  })();
  return (
    <Stack gap={2}>
      {input}
      {def.type === 'link' && typeof value === 'string' && (
        <Anchor
          href={value}
          target="_blank"
          rel="noopener noreferrer"
          size="xs"
          style={{ overflowWrap: 'anywhere' }}
        >
          {value}
        </Anchor>
      )}
      {error !== null && (
        <Text size="xs" c="red" role="alert">
          {errorText(t, error)}
        </Text>
      )}
    </Stack>
  );
}
