import { ActionIcon, Alert, Button, Group, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { useMergedRef } from '@mantine/hooks';
import {
  type ClipboardEvent,
  type KeyboardEvent,
  forwardRef,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import type { RenderedTemplate, Template } from '../../api/types.ts';
import { PaperclipIcon } from '../../components/icons.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { uuid } from '../../lib/uuid.ts';
import { EmojiPicker } from './emoji-picker.tsx';
import { useEmailFields } from './email-compose-fields.tsx';
import { insertMention, matchesName, mentionQuery, mentions } from './mentions.ts';
import { PendingAttachments } from './pending-attachments.tsx';
import { type Suggestion, SuggestionList } from './suggestion-list.tsx';
import { type OutboundChannel, outboundRefusals } from './outbound-check.ts';
import { matchesTemplate, templateQuery } from './template-suggest.ts';
import { MAX_ATTACHMENTS, asAttachment, useAttachments } from './use-attachments.ts';
import { filesOf, useFileDrop } from './use-file-drop.ts';
import type { Outgoing } from './use-conversation-data.ts';

const TYPING_EVERY_MS = 4000;
const MAX_SUGGESTIONS = 6;

interface Props {
  /** Why a reply cannot be sent now (deactivated channel, closed messaging window); notes still can. */
  replyBlocked: string | null;
  /** A hint shown under an open reply box (e.g. until when the window stays open). */
  replyHint?: string | null;
  /** The conversation's channel and which files it can send (a reply's files are checked against it). */
  outbound?: OutboundChannel | null;
  /** Colleagues a private note can @mention. */
  mentionables?: { id: string; name: string }[];
  /** Saved replies offered after "/" at the start of the box. */
  templates?: Template[];
  renderTemplate?(id: string): Promise<RenderedTemplate>;
  onSend(o: Outgoing): void;
  /** Typing started or stopped; `note` while writing a private note (shown to colleagues only). */
  onTyping?(typing: boolean, note?: boolean): void;
  /** The conversation's channel type: e-mail replies get a subject and Cc. */
  channelType?: string;
}

/**
 * Reply or private note. Enter sends, Shift+Enter starts a new line; "/" at the start offers templates,
 * "@" in a note offers colleagues. Files are attached with the paperclip, by pasting an image or by
 * dropping files anywhere on the conversation; they upload at once and go out with the message.
 */
export const Composer = forwardRef<HTMLTextAreaElement, Props>(function Composer(
  {
    replyBlocked,
    replyHint,
    outbound,
    mentionables = [],
    templates = [],
    renderTemplate,
    onSend,
    onTyping,
    channelType,
  },
  ref,
) {
  const { t, fmt } = useI18n();
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [mode, setMode] = useState<'reply' | 'note'>(replyBlocked ? 'note' : 'reply');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [unresolved, setUnresolved] = useState<string[]>([]);
  const lastTyping = useRef(0);
  const area = useRef<HTMLTextAreaElement>(null);
  const mergedRef = useMergedRef(area, ref);
  const root = useRef<HTMLDivElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const files = useAttachments();
  const note = mode === 'note';
  const blocked = !note && replyBlocked !== null;
  const email = useEmailFields(channelType === 'email' && !note);
  // A reply's files must suit the channel (a note stays with colleagues: any file). Judged by the type
  // the server sniffed once uploaded, by the browser's before.
  const checked =
    !note && outbound
      ? outboundRefusals(
          t,
          fmt,
          outbound,
          files.items
            .filter((p) => !p.error)
            .map((p) => ({
              key: p.key,
              mimeType: p.upload?.mimeType ?? p.type,
              size: p.upload?.size ?? p.size,
            })),
        )
      : null;
  const refused = checked !== null && (checked.byFile.size > 0 || checked.total !== null);
  const canSend =
    (text.trim() !== '' || files.ready.length > 0) &&
    !blocked &&
    !files.uploading &&
    !files.failed &&
    !refused &&
    email.valid;

  // Files dropped anywhere on the conversation (the composer's parent pane) are attached.
  const dragging = useFileDrop(root, files.add);

  function onPaste(e: ClipboardEvent<HTMLTextAreaElement>) {
    const pasted = filesOf(e.clipboardData);
    if (pasted.length === 0) return;
    // A screenshot or copied image becomes an attachment; text copied along with it still pastes.
    if (!e.clipboardData.types.includes('text/plain')) e.preventDefault();
    files.add(pasted);
  }

  const mention = open && note ? mentionQuery(text, caret) : null;
  const tplQuery = open && renderTemplate ? templateQuery(text, caret) : null;
  const suggestions: Suggestion[] =
    tplQuery !== null
      ? templates
          .filter((tpl) => matchesTemplate(tpl, tplQuery))
          .slice(0, MAX_SUGGESTIONS)
          .map((tpl) => ({
            key: tpl.id,
            label: `/${tpl.shortcut}`,
            detail: tpl.name,
            pick: () => applyTemplate(tpl),
          }))
      : mention
        ? mentionables
            .filter((m) => matchesName(m.name, mention.query))
            .slice(0, MAX_SUGGESTIONS)
            .map((m) => ({ key: m.id, label: m.name, pick: () => chooseMention(mention.start, m.name) }))
        : [];

  function stopTyping() {
    if (lastTyping.current) onTyping?.(false);
    lastTyping.current = 0;
  }

  function send() {
    const body = text.trim();
    if (!canSend) return;
    onSend({
      text: body,
      private: note,
      clientMessageId: uuid(),
      // Whoever is still named in the note when it goes (picked from the list or typed out).
      ...(note ? { mentions: mentionables.filter((m) => mentions(body, m.name)).map((m) => m.id) } : {}),
      ...(files.ready.length ? { attachments: files.ready.map(asAttachment) } : {}),
      ...(email.value() ? { email: email.value() } : {}),
    });
    files.clear();
    email.clear();
    setText('');
    setUnresolved([]);
    setOpen(false);
    stopTyping();
  }

  // Where the caret goes once React has put new text in the box. Set in the same commit (a layout
  // effect), so a key typed right after picking a suggestion lands after the inserted text.
  const pendingCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const at = pendingCaret.current;
    if (at === null || !area.current) return;
    pendingCaret.current = null;
    area.current.focus();
    area.current.setSelectionRange(at, at);
  });

  function placeCaret(at: number) {
    setCaret(at);
    pendingCaret.current = at;
  }

  function change(value: string, at: number) {
    setText(value);
    setCaret(at);
    setOpen(true);
    setActive(0);
    if (!value.trim()) setUnresolved([]);
    if (!onTyping) return;
    if (!value.trim()) return stopTyping();
    const now = Date.now();
    if (now - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = now;
      onTyping(true, note);
    }
  }

  function chooseMention(start: number, name: string) {
    const next = insertMention(text, start, caret, name);
    setText(next.text);
    setOpen(false);
    placeCaret(next.caret);
  }

  function applyTemplate(tpl: Template) {
    setOpen(false);
    renderTemplate?.(tpl.id).then(
      (r) => {
        const rest = text.slice(caret);
        setText(r.text + rest);
        setUnresolved([...new Set(r.unresolved.map((u) => u.variable))]);
        files.addUploaded(r.attachments);
        placeCaret(r.text.length);
      },
      () => {
        // Rendering failed (e.g. the template was just deleted): keep what the operator typed.
      },
    );
  }

  function insertAtCaret(s: string) {
    const el = area.current;
    const from = el?.selectionStart ?? text.length;
    const to = el?.selectionEnd ?? text.length;
    setText(text.slice(0, from) + s + text.slice(to));
    placeCaret(from + s.length);
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (suggestions.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : -1;
        setActive((a) => (a + step + suggestions.length) % suggestions.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        (suggestions[active] ?? suggestions[0]!).pick();
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setOpen(false);
        return;
      }
    }
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

  const fileHint = files.failed
    ? t('composer.removeFailed')
    : checked?.total
      ? checked.total
      : refused
        ? t('composer.removeRefused')
        : files.uploading
          ? t('composer.waitUploads')
          : files.full
            ? t('composer.tooMany', { max: MAX_ATTACHMENTS })
            : null;
  const hints = [
    renderTemplate && templates.length > 0 ? t('composer.templateHint') : null,
    note && mentionables.length > 0 ? t('composer.mentionHint') : null,
  ].filter(Boolean);

  return (
    <Stack
      ref={root}
      gap={6}
      p="sm"
      style={{
        borderTop: '1px solid var(--mantine-color-gray-3)',
        background: note ? 'var(--mantine-color-yellow-0)' : undefined,
        position: 'relative',
        outline: dragging ? '2px dashed var(--mantine-color-blue-5)' : undefined,
        outlineOffset: -4,
      }}
      data-testid="composer"
    >
      {dragging && (
        <Text size="sm" c="blue.7" ta="center" fw={500} data-testid="drop-hint">
          {t('composer.dropHere')}
        </Text>
      )}
      {blocked && (
        <Alert color="orange" variant="light" p="xs" data-testid="reply-blocked">
          {replyBlocked}
        </Alert>
      )}
      {suggestions.length > 0 && (
        <SuggestionList
          suggestions={suggestions}
          active={active}
          label={tplQuery !== null ? t('composer.templateList') : t('composer.mentionList')}
          testId={tplQuery !== null ? 'template-list' : 'mention-list'}
        />
      )}
      {unresolved.length > 0 && (
        <Text size="xs" c="orange.8" data-testid="unresolved">
          {t('composer.unresolved', { names: unresolved.join(', ') })}
        </Text>
      )}
      {email.element}
      <Textarea
        ref={mergedRef}
        aria-label={t('composer.label')}
        placeholder={note ? t('composer.notePlaceholder') : t('composer.replyPlaceholder')}
        description={hints.length ? hints.join(' · ') : undefined}
        inputWrapperOrder={['label', 'input', 'description', 'error']}
        autosize
        minRows={2}
        maxRows={8}
        value={text}
        onChange={(e) => change(e.currentTarget.value, e.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        onBlur={() => {
          stopTyping();
          setOpen(false);
        }}
        data-testid="composer-input"
      />
      <PendingAttachments items={files.items} onRemove={files.remove} refusals={checked?.byFile} />
      {fileHint && (
        <Text size="xs" c={files.failed || refused ? 'red.7' : 'dimmed'} data-testid="attachments-hint">
          {fileHint}
        </Text>
      )}
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Group gap={4} wrap="nowrap">
          <SegmentedControl
            size="xs"
            value={mode}
            onChange={(v) => {
              setMode(v as 'reply' | 'note');
              setOpen(false);
            }}
            data={[
              { value: 'reply', label: t('composer.reply') },
              { value: 'note', label: t('composer.note') },
            ]}
            data-testid="composer-mode"
          />
          <EmojiPicker onPick={insertAtCaret} />
          <ActionIcon
            variant="subtle"
            color="gray"
            onClick={() => picker.current?.click()}
            disabled={files.full}
            aria-label={t('composer.attach')}
            title={t('composer.attach')}
            data-testid="composer-attach"
          >
            <PaperclipIcon size={18} />
          </ActionIcon>
          <input
            ref={picker}
            type="file"
            multiple
            hidden
            tabIndex={-1}
            aria-label={t('composer.attach')}
            data-testid="composer-file-input"
            onChange={(e) => {
              files.add([...(e.currentTarget.files ?? [])]);
              // The same file can be picked again after being removed.
              e.currentTarget.value = '';
            }}
          />
        </Group>
        {!note && !blocked && replyHint && (
          <Text size="xs" c="dimmed" truncate>
            {replyHint}
          </Text>
        )}
        <Button
          size="xs"
          onClick={send}
          disabled={!canSend}
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
