import { Group, Kbd, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Me } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { type PaletteItem, matchItems } from './palette-match.ts';
import { usePaletteItems } from './use-palette-items.ts';

const GROUPS = ['action', 'conversation', 'contact', 'screen'] as const;
const PER_GROUP = 8;
const ADD_LABEL = 'action:label-add';

/**
 * Ctrl/Cmd+K: one box to jump to a conversation, a contact or a screen, or to act on the open
 * conversation, without the mouse (a combobox: arrows move, Enter runs, Esc closes).
 */
export function CommandPalette({ me, opened, onClose }: { me: Me; opened: boolean; onClose(): void }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const all = usePaletteItems(me, query, opened);
  const groups = useMemo(() => {
    const found = matchItems(all, query);
    const groups = GROUPS.map((g) => ({
      key: g as string,
      group: g,
      items: found.filter((i) => i.group === g && i.id !== ADD_LABEL).slice(0, PER_GROUP),
    }));
    // "Add label …" matches whatever is typed: it comes last, after what the words found.
    const add = found.find((i) => i.id === ADD_LABEL);
    if (add) groups.push({ key: 'create', group: 'action', items: [add] });
    return groups.filter((g) => g.items.length > 0);
  }, [all, query]);
  const flat = groups.flatMap((g) => g.items);
  const current = flat[Math.min(active, flat.length - 1)];
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (opened) {
      setQuery('');
      setActive(0);
    }
  }, [opened]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new query starts at the top of the list
  useEffect(() => setActive(0), [query]);
  useEffect(() => {
    if (current)
      listRef.current
        ?.querySelector(`[data-item-id="${CSS.escape(current.id)}"]`)
        ?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  const run = (item: PaletteItem | undefined) => {
    if (!item) return;
    onClose();
    item.run();
  };
  const optionId = (item: PaletteItem) => `palette-${item.id.replace(/[^\w-]/g, '_')}`;

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      withCloseButton={false}
      size="lg"
      yOffset="10vh"
      padding="xs"
      aria-label={t('palette.title')}
      data-testid="command-palette"
    >
      <Stack gap="xs">
        <TextInput
          data-autofocus
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          placeholder={t('palette.placeholder')}
          aria-label={t('palette.title')}
          role="combobox"
          aria-expanded
          aria-controls="palette-list"
          aria-autocomplete="list"
          aria-activedescendant={current ? optionId(current) : undefined}
          data-testid="palette-input"
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              const n = flat.length;
              if (n) setActive((a) => (Math.min(a, n - 1) + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
            } else if (e.key === 'Home' && e.ctrlKey) setActive(0);
            else if (e.key === 'End' && e.ctrlKey) setActive(flat.length - 1);
            else if (e.key === 'Enter') {
              e.preventDefault();
              run(current);
            }
          }}
        />
        <div
          ref={listRef}
          id="palette-list"
          role="listbox"
          aria-label={t('palette.results')}
          style={{ maxHeight: '55vh', overflowY: 'auto' }}
        >
          {flat.length === 0 && (
            <Text size="sm" c="dimmed" p="xs" role="status">
              {t('palette.empty')}
            </Text>
          )}
          {groups.map(({ key, group, items }) => (
            // biome-ignore lint/a11y/useSemanticElements: a group of options inside a listbox (ARIA combobox pattern), not a form's fieldset
            <div key={key} role="group" aria-labelledby={`palette-group-${key}`}>
              <Text
                id={`palette-group-${key}`}
                size="xs"
                fw={700}
                c="gray.7"
                tt="uppercase"
                px="xs"
                pt={6}
                pb={2}
              >
                {t(`palette.group.${group}`)}
              </Text>
              {items.map((item) => (
                // biome-ignore lint/a11y/useFocusableInteractive: the input keeps focus and points at the active option (aria-activedescendant)
                // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard works through the input (arrows, Enter)
                <div
                  key={item.id}
                  id={optionId(item)}
                  role="option"
                  aria-selected={item === current}
                  data-item-id={item.id}
                  data-testid="palette-item"
                  className="sb-palette-item"
                  onMouseMove={() => setActive(flat.indexOf(item))}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => run(item)}
                >
                  <Text size="sm" truncate>
                    {item.label}
                  </Text>
                  {item.hint && (
                    <Text size="xs" c="gray.7" truncate>
                      {item.hint}
                    </Text>
                  )}
                </div>
              ))}
            </div>
          ))}
        </div>
        <Group gap="md" px="xs" wrap="wrap">
          <Text size="xs" c="gray.7">
            <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> {t('palette.move')}
          </Text>
          <Text size="xs" c="gray.7">
            <Kbd size="xs">Enter</Kbd> {t('palette.run')}
          </Text>
          <Text size="xs" c="gray.7">
            <Kbd size="xs">Esc</Kbd> {t('palette.close')}
          </Text>
        </Group>
      </Stack>
    </Modal>
  );
}
