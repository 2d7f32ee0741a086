import { Button, Group, Select, TextInput } from '@mantine/core';
import { CONTACT_CONSENT_FILTERS, CONVERSATION_STATUSES } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { useChannels } from '../../api/directory.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAttributeDefinitions } from '../attributes/use-attributes.ts';
import type { ContactFilter } from './contacts-api.ts';

/** The filters beyond text and label; `q` and `label` stay in the address bar. */
export type ExtraFilter = Omit<ContactFilter, 'q' | 'label'>;

const DAY = 86_400_000;

/** `YYYY-MM-DD` (the date input) ⇄ epoch ms at that day's start in UTC, as the server compares. */
const toDay = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString().slice(0, 10));
const fromDay = (v: string) => (v ? Date.parse(`${v}T00:00:00Z`) : undefined);

function attributeParts(a: ContactFilter['attribute']): [string | null, string] {
  const one = [a ?? []].flat()[0];
  if (!one) return [null, ''];
  const at = one.indexOf(':');
  return [one.slice(0, at), one.slice(at + 1)];
}

/** Channel, conversation status, consent, one attribute and the creation dates. */
export function ContactFilterBar({
  value,
  onChange,
}: {
  value: ExtraFilter;
  onChange: (f: ExtraFilter) => void;
}) {
  const { t } = useI18n();
  const channels = useChannels();
  const defs = useAttributeDefinitions('contact');
  const [savedKey, savedValue] = attributeParts(value.attribute);
  // The attribute and its value are chosen one after the other; the filter holds them once both are there.
  const [attrKey, setAttrKey] = useState(savedKey);
  const [draftValue, setDraftValue] = useState(savedValue);
  useEffect(() => {
    setAttrKey(savedKey);
    setDraftValue(savedValue);
  }, [savedKey, savedValue]);
  const set = (patch: ExtraFilter) => onChange({ ...value, ...patch });
  const setAttribute = (key: string | null, v: string) =>
    set({ attribute: key && v.trim() ? `${key}:${v.trim()}` : undefined });
  const active = Object.values(value).some((v) => v !== undefined && v !== '');

  return (
    <Group gap="xs" wrap="wrap" align="flex-end" data-testid="contacts-filters">
      <Select
        label={t('contacts.filter.channel')}
        placeholder={t('contacts.filter.channelAll')}
        data={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        value={value.channelId ?? null}
        onChange={(v) => set({ channelId: v ?? undefined })}
        clearable
        w={180}
        data-testid="contacts-filter-channel"
      />
      <Select
        label={t('contacts.filter.status')}
        placeholder={t('contacts.filter.statusAny')}
        data={CONVERSATION_STATUSES.map((s) => ({ value: s, label: t(`status.${s}` as 'status.open') }))}
        value={value.conversationStatus ?? null}
        onChange={(v) => set({ conversationStatus: (v as ExtraFilter['conversationStatus']) ?? undefined })}
        clearable
        w={150}
        data-testid="contacts-filter-status"
      />
      <Select
        label={t('contacts.filter.consent')}
        placeholder={t('contacts.filter.consentAny')}
        data={CONTACT_CONSENT_FILTERS.map((c) => ({ value: c, label: t(`contacts.filter.consent.${c}`) }))}
        value={value.consent ?? null}
        onChange={(v) => set({ consent: (v as ExtraFilter['consent']) ?? undefined })}
        clearable
        w={150}
        data-testid="contacts-filter-consent"
      />
      <Select
        label={t('contacts.filter.attribute')}
        data={(defs.data ?? []).map((d) => ({ value: d.key, label: d.label }))}
        value={attrKey}
        onChange={(k) => {
          setAttrKey(k);
          setAttribute(k, draftValue);
        }}
        clearable
        w={160}
        data-testid="contacts-filter-attribute"
      />
      <TextInput
        label={t('contacts.filter.attributeValue')}
        value={draftValue}
        onChange={(e) => setDraftValue(e.currentTarget.value)}
        onBlur={() => setAttribute(attrKey, draftValue)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') setAttribute(attrKey, draftValue);
        }}
        disabled={!attrKey}
        w={140}
        data-testid="contacts-filter-attribute-value"
      />
      <TextInput
        type="date"
        label={t('contacts.filter.createdFrom')}
        value={toDay(value.createdFrom)}
        onChange={(e) => set({ createdFrom: fromDay(e.currentTarget.value) })}
        w={150}
        data-testid="contacts-filter-from"
      />
      <TextInput
        type="date"
        label={t('contacts.filter.createdTo')}
        value={value.createdTo === undefined ? '' : toDay(value.createdTo - DAY)}
        onChange={(e) => {
          const day = fromDay(e.currentTarget.value);
          // "Until" includes that day: the server's bound is exclusive.
          set({ createdTo: day === undefined ? undefined : day + DAY });
        }}
        w={150}
        data-testid="contacts-filter-to"
      />
      {active && (
        <Button
          variant="subtle"
          size="sm"
          onClick={() => {
            setAttrKey(null);
            setDraftValue('');
            onChange({});
          }}
          data-testid="contacts-filter-clear"
        >
          {t('contacts.filter.clear')}
        </Button>
      )}
    </Group>
  );
}
