import { Group, Paper, Text, UnstyledButton } from '@mantine/core';

/** One entry offered while typing: a saved reply after "/" or a colleague after "@". */
export interface Suggestion {
  key: string;
  label: string;
  detail?: string;
  pick(): void;
}

/** The list above the composer; the box keeps the focus (mouse down does not take it). */
export function SuggestionList({
  suggestions,
  active,
  label,
  testId,
}: {
  suggestions: Suggestion[];
  active: number;
  label: string;
  testId: string;
}) {
  return (
    <Paper
      shadow="md"
      withBorder
      p={4}
      role="listbox"
      aria-label={label}
      data-testid={testId}
      style={{
        position: 'absolute',
        bottom: '100%',
        left: 12,
        zIndex: 10,
        minWidth: 240,
        maxWidth: '90%',
      }}
    >
      {suggestions.map((s, i) => (
        <UnstyledButton
          key={s.key}
          role="option"
          aria-selected={i === active}
          onMouseDown={(e) => e.preventDefault()}
          onClick={s.pick}
          px="sm"
          py={4}
          style={{
            display: 'block',
            width: '100%',
            borderRadius: 4,
            background: i === active ? 'var(--mantine-color-blue-0)' : undefined,
          }}
        >
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" fw={500}>
              {s.label}
            </Text>
            {s.detail && (
              <Text size="xs" c="dimmed" truncate>
                {s.detail}
              </Text>
            )}
          </Group>
        </UnstyledButton>
      ))}
    </Paper>
  );
}
