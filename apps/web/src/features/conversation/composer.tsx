import { Alert, Button, Group, SegmentedControl, Stack, Textarea } from '@mantine/core';
import { type KeyboardEvent, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { uuid } from '../../lib/uuid.ts';
import type { Outgoing } from './use-conversation-data.ts';

interface Props {
  /** Replies cannot be delivered (deactivated channel); notes still can. */
  replyBlocked: boolean;
  onSend(o: Outgoing): void;
}

/** Reply or private note. Enter sends, Shift+Enter starts a new line. */
export function Composer({ replyBlocked, onSend }: Props) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [mode, setMode] = useState<'reply' | 'note'>(replyBlocked ? 'note' : 'reply');
  const note = mode === 'note';
  const blocked = !note && replyBlocked;

  function send() {
    const body = text.trim();
    if (!body || blocked) return;
    onSend({ text: body, private: note, clientMessageId: uuid() });
    setText('');
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    // While an input method composes (e.g. Japanese), Enter confirms the word instead of sending.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  }

  return (
    <Stack
      gap={6}
      p="sm"
      style={{
        borderTop: '1px solid var(--mantine-color-gray-3)',
        background: note ? 'var(--mantine-color-yellow-0)' : undefined,
      }}
    >
      {blocked && (
        <Alert color="orange" variant="light" p="xs" data-testid="reply-blocked">
          {t('composer.channelInactive')}
        </Alert>
      )}
      <Textarea
        aria-label={t('composer.label')}
        placeholder={note ? t('composer.notePlaceholder') : t('composer.replyPlaceholder')}
        autosize
        minRows={2}
        maxRows={8}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        data-testid="composer-input"
      />
      <Group justify="space-between" gap="xs">
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(v) => setMode(v as 'reply' | 'note')}
          data={[
            { value: 'reply', label: t('composer.reply') },
            { value: 'note', label: t('composer.note') },
          ]}
          data-testid="composer-mode"
        />
        <Button
          size="xs"
          onClick={send}
          disabled={!text.trim() || blocked}
          color={note ? 'yellow' : 'blue'}
          data-testid="composer-send"
        >
          {note ? t('composer.addNote') : t('composer.send')}
        </Button>
      </Group>
    </Stack>
  );
}
