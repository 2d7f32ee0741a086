import { Alert, Button, Group, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { type KeyboardEvent, forwardRef, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { uuid } from '../../lib/uuid.ts';
import type { Outgoing } from './use-conversation-data.ts';

const TYPING_EVERY_MS = 4000;

interface Props {
  /** Why a reply cannot be sent now (deactivated channel, closed messaging window); notes still can. */
  replyBlocked: string | null;
  /** A hint shown under an open reply box (e.g. until when the window stays open). */
  replyHint?: string | null;
  onSend(o: Outgoing): void;
  onTyping?(typing: boolean): void;
}

/** Reply or private note. Enter sends, Shift+Enter starts a new line. */
export const Composer = forwardRef<HTMLTextAreaElement, Props>(function Composer(
  { replyBlocked, replyHint, onSend, onTyping },
  ref,
) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [mode, setMode] = useState<'reply' | 'note'>(replyBlocked ? 'note' : 'reply');
  const lastTyping = useRef(0);
  const note = mode === 'note';
  const blocked = !note && replyBlocked !== null;

  function stopTyping() {
    if (lastTyping.current) onTyping?.(false);
    lastTyping.current = 0;
  }

  function send() {
    const body = text.trim();
    if (!body || blocked) return;
    onSend({ text: body, private: note, clientMessageId: uuid() });
    setText('');
    stopTyping();
  }

  function change(value: string) {
    setText(value);
    if (note || !onTyping) return;
    if (!value.trim()) return stopTyping();
    const now = Date.now();
    if (now - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = now;
      onTyping(true);
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Escape') {
      e.currentTarget.blur();
      return;
    }
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
          {replyBlocked}
        </Alert>
      )}
      <Textarea
        ref={ref}
        aria-label={t('composer.label')}
        placeholder={note ? t('composer.notePlaceholder') : t('composer.replyPlaceholder')}
        autosize
        minRows={2}
        maxRows={8}
        value={text}
        onChange={(e) => change(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        onBlur={stopTyping}
        data-testid="composer-input"
      />
      <Group justify="space-between" gap="xs" wrap="nowrap">
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
        {!note && !blocked && replyHint && (
          <Text size="xs" c="dimmed" truncate>
            {replyHint}
          </Text>
        )}
        <Button
          size="xs"
          onClick={send}
          disabled={!text.trim() || blocked}
          color={note ? 'yellow' : 'blue'}
          data-testid="composer-send"
          style={{ flexShrink: 0 }}
        >
          {note ? t('composer.addNote') : t('composer.send')}
        </Button>
      </Group>
    </Stack>
  );
});
