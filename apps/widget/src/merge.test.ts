import { describe, expect, it } from 'vitest';
import {
  CATCH_UP_MARGIN_MS,
  catchUpSince,
  mergeMessages,
  newClientMessageId,
  unconfirmed,
  unreadCount,
} from './merge.ts';
import type { PendingMessage, VisitorMessage } from './types.ts';

const msg = (id: string, over: Partial<VisitorMessage> = {}): VisitorMessage => ({
  id,
  clientMessageId: null,
  direction: 'out',
  kind: 'text',
  text: id,
  authorName: null,
  attachments: [],
  status: 'sent',
  buttons: null,
  buttonsStyle: null,
  createdAt: 1000,
  updatedAt: 1000,
  ...over,
});

describe('widget message merging', () => {
  it('orders by time then id and replaces older versions by id', () => {
    const merged = mergeMessages(
      [msg('b', { createdAt: 2000, updatedAt: 2000 }), msg('a')],
      [msg('c', { createdAt: 1500, updatedAt: 1500 }), msg('a', { text: 'edited', updatedAt: 3000 })],
    );
    expect(merged.map((m) => m.id)).toEqual(['a', 'c', 'b']);
    expect(merged[0]!.text).toBe('edited');
    // An older copy arriving late does not undo the newer one.
    expect(mergeMessages(merged, [msg('a', { text: 'stale', updatedAt: 500 })])[0]!.text).toBe('edited');
  });

  it('never moves a status backwards', () => {
    const read = [msg('a', { status: 'read', updatedAt: 2000 })];
    expect(mergeMessages(read, [msg('a', { status: 'sent', updatedAt: 2000 })])[0]!.status).toBe('read');
  });

  it('catches up from a margin before the newest change, or from the start', () => {
    expect(catchUpSince([])).toBeUndefined();
    expect(catchUpSince([msg('a', { updatedAt: 100_000 }), msg('b', { updatedAt: 90_000 })])).toBe(
      100_000 - CATCH_UP_MARGIN_MS,
    );
    expect(catchUpSince([msg('a', { updatedAt: 10 })])).toBe(0);
  });

  it('drops pending messages once the server copy with their client id is known', () => {
    const pending = (id: string): PendingMessage => ({
      clientMessageId: id,
      text: 'x',
      file: null,
      uploadToken: null,
      state: 'sending',
      error: null,
      createdAt: 0,
    });
    const left = unconfirmed(
      [pending('p1'), pending('p2')],
      [msg('m', { direction: 'in', clientMessageId: 'p1' })],
    );
    expect(left.map((p) => p.clientMessageId)).toEqual(['p2']);
  });

  it('counts operator messages after the last read time', () => {
    const list = [
      msg('a', { createdAt: 1000 }),
      msg('b', { createdAt: 2000 }),
      msg('c', { direction: 'in', createdAt: 3000 }),
    ];
    expect(unreadCount(list, 0)).toBe(2);
    expect(unreadCount(list, 1000)).toBe(1);
    expect(unreadCount(list, 5000)).toBe(0);
  });

  it('makes client ids the server accepts', () => {
    for (let i = 0; i < 20; i++) expect(newClientMessageId()).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });
});
