import { Button, Group, Menu, Modal, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';

/** Preset wake-up times in the operator's local time zone. */
export function snoozePresets(now: Date): { oneHour: number; tomorrow: number; nextWeek: number } {
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  const monday = new Date(now);
  monday.setDate(now.getDate() + ((8 - now.getDay()) % 7 || 7));
  monday.setHours(9, 0, 0, 0);
  return { oneHour: now.getTime() + 3_600_000, tomorrow: tomorrow.getTime(), nextWeek: monday.getTime() };
}

function localInputValue(ts: number): string {
  const d = new Date(ts - new Date(ts).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function SnoozeMenu({ onSnooze, disabled }: { onSnooze(until: number): void; disabled?: boolean }) {
  const { t } = useI18n();
  const [custom, setCustom] = useState(false);
  const [value, setValue] = useState('');
  const p = snoozePresets(new Date());
  const customTs = value ? new Date(value).getTime() : Number.NaN;
  return (
    <>
      <Menu withinPortal position="bottom-end">
        <Menu.Target>
          <Button size="xs" variant="default" disabled={disabled} data-testid="action-snooze">
            {t('action.snooze')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => onSnooze(p.oneHour)}>{t('action.snooze1h')}</Menu.Item>
          <Menu.Item onClick={() => onSnooze(p.tomorrow)}>{t('action.snoozeTomorrow')}</Menu.Item>
          <Menu.Item onClick={() => onSnooze(p.nextWeek)}>{t('action.snoozeNextWeek')}</Menu.Item>
          <Menu.Item
            onClick={() => {
              setValue(localInputValue(p.tomorrow));
              setCustom(true);
            }}
          >
            {t('action.snoozeCustom')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <Modal
        opened={custom}
        onClose={() => setCustom(false)}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        title={t('action.snoozeUntil')}
        centered
      >
        <Stack>
          <TextInput
            type="datetime-local"
            label={t('action.snoozeUntil')}
            value={value}
            min={localInputValue(Date.now())}
            onChange={(e) => setValue(e.currentTarget.value)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setCustom(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              disabled={!(customTs > Date.now())}
              onClick={() => {
                setCustom(false);
                onSnooze(customTs);
              }}
            >
              {t('action.snooze')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
