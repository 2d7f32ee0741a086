import { Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { del, get, patch, post, qs } from '../../api/http.ts';
import type { ContactNote, Me, Page } from '../../api/types.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { applyNote, notesKey } from './contact-notes-cache.ts';

function useNoteMutations(contactId: string) {
  const qc = useQueryClient();
  const base = `/api/v1/contacts/${encodeURIComponent(contactId)}/notes`;
  const upsert = (note: ContactNote) =>
    qc.setQueryData(notesKey(contactId), (d: Parameters<typeof applyNote>[0]) =>
      applyNote(d, { kind: 'upsert', note }),
    );
  return {
    create: useMutation({
      mutationFn: (text: string) => post<ContactNote>(base, { text }),
      onSuccess: upsert,
    }),
    edit: useMutation({
      mutationFn: (v: { id: string; text: string }) =>
        patch<ContactNote>(`${base}/${encodeURIComponent(v.id)}`, { text: v.text }),
      onSuccess: upsert,
    }),
    remove: useMutation({
      mutationFn: (id: string) => del(`${base}/${encodeURIComponent(id)}`),
      onSuccess: (_r, id) =>
        qc.setQueryData(notesKey(contactId), (d: Parameters<typeof applyNote>[0]) =>
          applyNote(d, { kind: 'delete', id }),
        ),
    }),
  };
}

function NoteItem({ note, me, m }: { note: ContactNote; me: Me; m: ReturnType<typeof useNoteMutations> }) {
  const { t, fmt } = useI18n();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(note.text);
  const [confirming, setConfirming] = useState(false);
  const mine = note.author.id === me.user.id || me.role === 'admin';
  return (
    <Paper withBorder p={8} radius="sm" data-testid="contact-note" data-note-id={note.id}>
      <Group justify="space-between" gap={6} wrap="nowrap" align="flex-start">
        <Text size="xs" c="dimmed">
          <Text span fw={600} c="dark" size="xs" data-testid="contact-note-author">
            {note.author.name}
          </Text>
          {' · '}
          <time dateTime={new Date(note.createdAt).toISOString()}>{fmt.dateTime(note.createdAt)}</time>
          {note.updatedAt !== note.createdAt && ` · ${t('contact.noteEdited')}`}
        </Text>
        {mine && !editing && (
          <Group gap={4} wrap="nowrap">
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => {
                setText(note.text);
                setEditing(true);
              }}
              data-testid="contact-note-edit"
            >
              {t('contact.noteEdit')}
            </Button>
            {confirming ? (
              <Button
                size="compact-xs"
                color="red"
                loading={m.remove.isPending}
                onClick={() => m.remove.mutate(note.id)}
                data-testid="contact-note-delete-confirm"
              >
                {t('contact.noteDeleteConfirm')}
              </Button>
            ) : (
              <Button
                size="compact-xs"
                variant="subtle"
                color="red"
                onClick={() => setConfirming(true)}
                data-testid="contact-note-delete"
              >
                {t('contact.noteDelete')}
              </Button>
            )}
          </Group>
        )}
      </Group>
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!text.trim()) return;
            m.edit.mutate({ id: note.id, text }, { onSuccess: () => setEditing(false) });
          }}
        >
          <Stack gap={6} mt={6}>
            <Textarea
              size="xs"
              autosize
              minRows={2}
              maxLength={5000}
              aria-label={t('contact.noteInput')}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              data-testid="contact-note-edit-input"
            />
            <Group justify="flex-end" gap={6}>
              <Button size="compact-xs" variant="default" onClick={() => setEditing(false)}>
                {t('common.cancel')}
              </Button>
              <Button
                type="submit"
                size="compact-xs"
                loading={m.edit.isPending}
                disabled={!text.trim()}
                data-testid="contact-note-save"
              >
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Text size="sm" className="sb-text" mt={4} data-testid="contact-note-text">
          {note.text}
        </Text>
      )}
    </Paper>
  );
}

/** Operators' notes on the contact, newest first: anyone writes, the author (or an admin) edits or deletes. */
export function ContactNotes({ contactId, me }: { contactId: string; me: Me }) {
  const { t } = useI18n();
  const notes = useInfiniteQuery({
    queryKey: notesKey(contactId),
    queryFn: ({ pageParam }) =>
      get<Page<ContactNote>>(
        `/api/v1/contacts/${encodeURIComponent(contactId)}/notes${qs({ limit: 20, cursor: pageParam })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const m = useNoteMutations(contactId);
  const [text, setText] = useState('');
  const items = notes.data?.pages.flatMap((p) => p.items) ?? [];
  const error = m.create.error ?? m.edit.error ?? m.remove.error;

  return (
    <Stack gap={6}>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase">
        {t('contact.notes')}
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) m.create.mutate(text, { onSuccess: () => setText('') });
        }}
      >
        <Stack gap={6}>
          <Textarea
            size="xs"
            autosize
            minRows={2}
            maxLength={5000}
            label={t('contact.noteInput')}
            description={t('contact.notePrivate')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            data-testid="contact-note-input"
          />
          <Group justify="flex-end">
            <Button
              type="submit"
              size="xs"
              loading={m.create.isPending}
              disabled={!text.trim()}
              data-testid="contact-note-add"
            >
              {t('contact.noteAdd')}
            </Button>
          </Group>
        </Stack>
      </form>
      {error && <ErrorAlert error={error} />}
      {notes.isError && <ErrorAlert error={notes.error} onRetry={() => void notes.refetch()} />}
      {notes.isSuccess && items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('contact.notesNone')}
        </Text>
      )}
      <Stack gap={6} data-testid="contact-notes">
        {items.map((n) => (
          <NoteItem key={n.id} note={n} me={me} m={m} />
        ))}
      </Stack>
      {notes.hasNextPage && (
        <Button
          size="compact-xs"
          variant="subtle"
          loading={notes.isFetchingNextPage}
          onClick={() => void notes.fetchNextPage()}
        >
          {t('contact.notesOlder')}
        </Button>
      )}
    </Stack>
  );
}
