import { ActionIcon, Popover, SimpleGrid, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import { SmileIcon } from '../../components/icons.tsx';
import { useI18n } from '../../i18n/i18n.tsx';

const EMOJI = [
  '🙂',
  '😊',
  '😀',
  '😉',
  '🙏',
  '👍',
  '👌',
  '👋',
  '🎉',
  '❤️',
  '✅',
  '⭐',
  '🔥',
  '💡',
  '📦',
  '🚚',
  '⏳',
  '📞',
  '✉️',
  '📎',
  '😔',
  '😅',
  '🤔',
  '👀',
];

/** A handful of emoji operators use in support replies (the system keyboard has the rest). */
export function EmojiPicker({ onPick }: { onPick(emoji: string): void }) {
  const { t } = useI18n();
  const [opened, setOpened] = useState(false);
  return (
    <Popover opened={opened} onChange={setOpened} position="top-start" withinPortal shadow="md">
      <Popover.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          onClick={() => setOpened((o) => !o)}
          aria-label={t('composer.emoji')}
          title={t('composer.emoji')}
          data-testid="emoji-button"
        >
          <SmileIcon />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown p={6}>
        <SimpleGrid cols={8} spacing={2} verticalSpacing={2}>
          {EMOJI.map((e) => (
            <UnstyledButton
              key={e}
              onClick={() => {
                onPick(e);
                setOpened(false);
              }}
              style={{ fontSize: 20, lineHeight: '28px', width: 28, textAlign: 'center', borderRadius: 4 }}
              aria-label={e}
            >
              {e}
            </UnstyledButton>
          ))}
        </SimpleGrid>
      </Popover.Dropdown>
    </Popover>
  );
}
