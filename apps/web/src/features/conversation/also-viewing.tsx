import { Avatar, Group, Text, Tooltip } from '@mantine/core';
import type { LiveViewer } from '@switchboard/shared';
import { useI18n } from '../../i18n/i18n.tsx';

const SHOWN = 3;

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts[parts.length - 1]!] : parts;
  return letters.map((p) => [...p][0]!.toUpperCase()).join('') || '?';
}

/** Colleagues who have this conversation open right now (the operator's own tabs left out). */
export function AlsoViewing({ viewers, meId }: { viewers: LiveViewer[]; meId: string }) {
  const { t } = useI18n();
  const others = viewers.filter((v) => v.userId !== meId);
  if (others.length === 0) return null;
  const names = others.map((v) => v.name).join(', ');
  const label = t('live.alsoViewing', { names });
  return (
    <Tooltip label={label} withArrow>
      <Group
        gap={4}
        wrap="nowrap"
        role="status"
        aria-label={label}
        data-testid="also-viewing"
        data-names={names}
        style={{ flexShrink: 0 }}
      >
        <Avatar.Group spacing={6}>
          {others.slice(0, SHOWN).map((v) => (
            <Avatar key={v.userId} size={22} radius="xl" color="violet" variant="filled" aria-hidden>
              {initials(v.name)}
            </Avatar>
          ))}
          {others.length > SHOWN && (
            <Avatar size={22} radius="xl" aria-hidden>
              +{others.length - SHOWN}
            </Avatar>
          )}
        </Avatar.Group>
        <Text size="xs" c="dimmed" visibleFrom="md" aria-hidden>
          {t('live.viewingToo')}
        </Text>
      </Group>
    </Tooltip>
  );
}
