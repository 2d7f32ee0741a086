import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../../api/types.ts';
import { dropMovedMessage } from './moved-message.ts';

const msg = (id: string, conversationId: string) => ({ id, conversationId }) as Message;
const pages = (...items: Message[]) => ({ pages: [{ items, nextCursor: null }], pageParams: [undefined] });
const ids = (qc: QueryClient, conv: string) =>
  qc
    .getQueryData<ReturnType<typeof pages>>(['messages', conv])
    ?.pages.flatMap((p) => p.items.map((m) => m.id));

describe('a message moved by a merge or split', () => {
  it('leaves the history it was in and stays in its new one', () => {
    const qc = new QueryClient();
    qc.setQueryData(['messages', 'source'], pages(msg('m1', 'source'), msg('m2', 'source')));
    qc.setQueryData(['messages', 'target'], pages(msg('m2', 'target')));
    qc.setQueryData(['messages', 'other'], pages(msg('m9', 'other')));
    dropMovedMessage(qc, msg('m2', 'target'));
    expect(ids(qc, 'source')).toEqual(['m1']);
    expect(ids(qc, 'target')).toEqual(['m2']);
    expect(ids(qc, 'other')).toEqual(['m9']);
  });
});
