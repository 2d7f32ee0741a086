import { Group, Kbd, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { type MessageKey, useI18n } from '../i18n/i18n.tsx';

export const SHORTCUTS: { keys: string[]; label: MessageKey }[] = [
  { keys: ['Ctrl+K', '⌘K'], label: 'shortcuts.palette' },
  { keys: ['j'], label: 'shortcuts.next' },
  { keys: ['k'], label: 'shortcuts.prev' },
  { keys: ['1', '2', '3'], label: 'shortcuts.views' },
  { keys: ['a'], label: 'shortcuts.assign' },
  { keys: ['e'], label: 'shortcuts.resolve' },
  { keys: ['r'], label: 'shortcuts.reply' },
  { keys: ['u'], label: 'shortcuts.markUnread' },
  { keys: ['Enter'], label: 'shortcuts.send' },
  { keys: ['Shift+Enter'], label: 'shortcuts.newline' },
  { keys: ['Esc'], label: 'shortcuts.leave' },
  { keys: ['/'], label: 'shortcuts.search' },
  { keys: ['?'], label: 'shortcuts.help' },
];

/** True when a key press belongs to a text field, not to the console's shortcuts. */
export function typingInField(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** Single-key shortcuts outside text fields (and without modifier keys, so browser shortcuts stay). */
export function useKeys(map: Record<string, () => void>): void {
  // The latest handlers, without re-registering the listener on every render.
  const current = useRef(map);
  current.current = map;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A dialog (help, snooze time, image viewer) has the keyboard while it is open.
      if (e.ctrlKey || e.metaKey || e.altKey || typingInField(e) || document.querySelector('[role=dialog]'))
        return;
      const fn = current.current[e.key];
      if (!fn) return;
      e.preventDefault();
      fn();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function ShortcutsHelp({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const { t } = useI18n();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      title={t('shortcuts.title')}
      centered
    >
      <Stack gap="xs" data-testid="shortcuts-help">
        {SHORTCUTS.map((s) => (
          <Group key={s.label} justify="space-between" wrap="nowrap">
            <Text size="sm">{t(s.label)}</Text>
            <Group gap={4} wrap="nowrap">
              {s.keys.map((k) => (
                <Kbd key={k}>{k}</Kbd>
              ))}
            </Group>
          </Group>
        ))}
      </Stack>
    </Modal>
  );
}
