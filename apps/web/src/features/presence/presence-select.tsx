import { AVAILABILITY, type Availability } from '@switchboard/shared';
import { ColorSwatch, Group, Select } from '@mantine/core';
import { useSetAvailability } from '../../api/session.ts';
import type { Me } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';

export const PRESENCE_COLOR: Record<Availability, string> = {
  online: 'var(--mantine-color-green-6)',
  away: 'var(--mantine-color-yellow-6)',
  offline: 'var(--mantine-color-gray-5)',
};

export function PresenceDot({ value, size = 10 }: { value: Availability; size?: number }) {
  return <ColorSwatch color={PRESENCE_COLOR[value]} size={size} withShadow={false} component="span" />;
}

/** The operator's own presence (online / away / offline); colleagues see it live. */
export function PresenceSelect({ me, compact = false }: { me: Me; compact?: boolean }) {
  const { t } = useI18n();
  const set = useSetAvailability();
  const value = set.isPending && set.variables ? set.variables : me.availability;
  return (
    <Select
      size="xs"
      w={compact ? 104 : 130}
      aria-label={t('presence.label')}
      value={value}
      allowDeselect={false}
      onChange={(v) => v && set.mutate(v as Availability)}
      error={set.isError ? true : undefined}
      leftSection={<PresenceDot value={value} />}
      data={AVAILABILITY.map((a) => ({ value: a, label: t(`presence.${a}`) }))}
      renderOption={({ option }) => (
        <Group gap={8} wrap="nowrap">
          <PresenceDot value={option.value as Availability} />
          {option.label}
        </Group>
      )}
      comboboxProps={{ withinPortal: true }}
      data-testid="presence-select"
    />
  );
}
