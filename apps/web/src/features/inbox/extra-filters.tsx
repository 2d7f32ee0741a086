import { SLA_STATES, type SlaState } from '@switchboard/shared';
import { Select, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAttributeDefinitions } from '../attributes/use-attributes.ts';
import type { InboxFilter } from './inbox-filter.ts';

const FIELD = { flex: '1 1 120px', minWidth: 120 } as const;

/** Text that applies on Enter or leaving the field, so the list is not refetched on every keystroke. */
function CommitInput({
  value,
  onCommit,
  ...rest
}: {
  value: string;
  onCommit(v: string): void;
  placeholder: string;
  'aria-label': string;
  'data-testid': string;
}) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = () => text.trim() !== value && onCommit(text.trim());
  return (
    <TextInput
      size="xs"
      style={FIELD}
      value={text}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
      {...rest}
    />
  );
}

/**
 * The inbox filters beyond status, channel and team: label, one conversation attribute (its definitions
 * from GET /attribute-definitions: a list's options and checkboxes are chosen, other types typed) and SLA state.
 */
export function ExtraFilters({
  filter,
  set,
}: {
  filter: InboxFilter;
  set(patch: Partial<InboxFilter>): void;
}) {
  const { t } = useI18n();
  const defs = useAttributeDefinitions('conversation').data ?? [];
  const at = filter.attribute?.indexOf(':') ?? -1;
  const [key, setKey] = useState(at > 0 ? filter.attribute!.slice(0, at) : '');
  useEffect(() => setKey(at > 0 ? filter.attribute!.slice(0, at) : ''), [filter.attribute, at]);
  const value = at > 0 ? filter.attribute!.slice(at + 1) : '';
  const def = defs.find((d) => d.key === key);
  const setValue = (v: string) => set({ attribute: key && v ? `${key}:${v}` : undefined });
  return (
    <>
      <CommitInput
        value={filter.label ?? ''}
        onCommit={(v) => set({ label: v || undefined })}
        placeholder={t('inbox.anyLabel')}
        aria-label={t('inbox.label')}
        data-testid="label-filter"
      />
      <Select
        size="xs"
        style={FIELD}
        aria-label={t('inbox.sla')}
        value={filter.slaState ?? ''}
        allowDeselect={false}
        onChange={(v) => set({ slaState: (v || undefined) as SlaState | undefined })}
        data={[
          { value: '', label: t('inbox.sla.any') },
          ...SLA_STATES.map((s) => ({ value: s, label: t(`inbox.sla.${s}`) })),
        ]}
        data-testid="sla-filter"
      />
      {defs.length > 0 && (
        <Select
          size="xs"
          style={FIELD}
          aria-label={t('inbox.attribute')}
          value={key}
          allowDeselect={false}
          onChange={(v) => {
            setKey(v ?? '');
            if (!v) set({ attribute: undefined });
          }}
          data={[
            { value: '', label: t('inbox.anyAttribute') },
            ...defs.map((d) => ({ value: d.key, label: d.label })),
          ]}
          data-testid="attribute-filter"
        />
      )}
      {def &&
        (def.type === 'list' || def.type === 'checkbox' ? (
          <Select
            size="xs"
            style={FIELD}
            aria-label={t('inbox.attributeValue')}
            value={value || null}
            onChange={(v) => setValue(v ?? '')}
            data={
              def.type === 'list'
                ? def.options
                : [
                    { value: 'true', label: t('inbox.yes') },
                    { value: 'false', label: t('inbox.no') },
                  ]
            }
            data-testid="attribute-value"
          />
        ) : (
          <CommitInput
            value={value}
            onCommit={setValue}
            placeholder={t('inbox.attributeValue')}
            aria-label={t('inbox.attributeValue')}
            data-testid="attribute-value"
          />
        ))}
    </>
  );
}
