import { NumberInput, PasswordInput, Select, Switch, TextInput, Textarea } from '@mantine/core';
import type { SettingField } from '@switchboard/shared';
import { localized } from '../../api/channel-types.ts';
import { useI18n } from '../../i18n/i18n.tsx';

/** One field of a channel's settings form, drawn from the server's descriptor. */
export function SettingInput({
  field: f,
  value,
  onChange,
}: {
  field: SettingField;
  value: string;
  onChange(v: string): void;
}) {
  const { t, lang } = useI18n();
  const label = localized(f.label, lang);
  const description = f.help ? localized(f.help, lang) : undefined;
  const testId = `channel-setting-${f.name}`;
  const placeholder = f.placeholder ?? undefined;
  switch (f.type) {
    case 'select':
      return (
        <Select
          label={label}
          description={description}
          value={value || null}
          onChange={(v) => onChange(v ?? '')}
          data={(f.options ?? []).map((o) => ({
            value: o.value,
            label: o.label ? localized(o.label, lang) : o.value,
          }))}
          placeholder={t('admin.channels.providerDefault')}
          clearable
          comboboxProps={{ withinPortal: true }}
          data-testid={testId}
        />
      );
    case 'secret':
      return (
        <PasswordInput
          label={label}
          description={description}
          required={f.required}
          placeholder={placeholder}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          autoComplete="off"
          visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }}
          data-testid={testId}
        />
      );
    case 'boolean':
      return (
        <Switch
          label={label}
          description={description}
          checked={value === 'true'}
          onChange={(e) => onChange(e.currentTarget.checked ? 'true' : '')}
          data-testid={testId}
        />
      );
    case 'number':
      return (
        <NumberInput
          label={label}
          description={description}
          required={f.required}
          placeholder={typeof f.default === 'number' ? String(f.default) : placeholder}
          value={value}
          onChange={(v) => onChange(String(v))}
          data-testid={testId}
        />
      );
    case 'object':
      return (
        <Textarea
          label={label}
          description={description}
          required={f.required}
          placeholder={placeholder}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          autosize
          minRows={2}
          styles={{ input: { fontFamily: 'monospace' } }}
          data-testid={testId}
        />
      );
    default:
      return (
        <TextInput
          label={label}
          description={description}
          required={f.required}
          placeholder={placeholder}
          type={f.type === 'url' ? 'url' : 'text'}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
          data-testid={testId}
        />
      );
  }
}
