import { describe, expect, it } from 'vitest';
import type { InboundEvent } from '../channel-adapter.ts';
import { parseTelegramUpdate } from './telegram-parse.ts';

// Updates written after the Bot API reference (https://core.telegram.org/bots/api#update), not after
// what our sandbox produces, so a shared misunderstanding cannot make both sides agree.
const alice = {
  id: 111222333,
  is_bot: false,
  first_name: 'Алиса',
  last_name: 'Петрова',
  username: 'alice_p',
  language_code: 'ru',
};
const privateChat = {
  id: 111222333,
  first_name: 'Алиса',
  last_name: 'Петрова',
  username: 'alice_p',
  type: 'private',
};
const msg = (extra: Record<string, unknown>, chat: Record<string, unknown> = privateChat) => ({
  update_id: 900000001,
  message: { message_id: 42, from: alice, chat, date: 1764000000, ...extra },
});
const photoSizes = [
  { file_id: 'AgACsmall', file_unique_id: 'AQADs', file_size: 1200, width: 90, height: 67 },
  { file_id: 'AgACmid', file_unique_id: 'AQADm', file_size: 18000, width: 320, height: 240 },
  { file_id: 'AgACbig', file_unique_id: 'AQADb', file_size: 98000, width: 1280, height: 960 },
];
const one = (u: unknown) => {
  const events = parseTelegramUpdate(u);
  expect(events).toHaveLength(1);
  return events[0] as Extract<InboundEvent, { kind: 'message' }>;
};

describe('Telegram update parsing', () => {
  it('text in a private chat: the customer is the contact, (chat.id, message_id) the message id', () => {
    const e = one(msg({ text: 'Здравствуйте! <b>не HTML</b>' }));
    expect(e).toMatchObject({
      kind: 'message',
      providerMessageId: '111222333:42',
      contact: { externalId: '111222333', name: 'Алиса Петрова' },
      contentKind: 'text',
      text: 'Здравствуйте! <b>не HTML</b>',
      attachments: [],
      providerTs: 1764000000_000,
    });
    expect(e.meta).toMatchObject({
      author: { id: '111222333', username: 'alice_p' },
      telegram: { chatType: 'private' },
    });
    expect(e.editedAt).toBeUndefined();
  });

  it('photo: the largest size, caption as text, downloaded later by file_id', () => {
    const e = one(msg({ photo: photoSizes, caption: 'Вот чек' }));
    expect(e.contentKind).toBe('image');
    expect(e.text).toBe('Вот чек');
    expect(e.attachments).toEqual([
      { kind: 'image', providerRef: 'AgACbig', size: 98000, mimeType: 'image/jpeg', name: undefined },
    ]);
  });

  it.each([
    [
      'video',
      {
        video: {
          file_id: 'BAAv',
          file_unique_id: 'u',
          width: 640,
          height: 360,
          duration: 5,
          mime_type: 'video/mp4',
          file_size: 500,
        },
      },
      'video',
      'video/mp4',
    ],
    [
      'voice',
      {
        voice: { file_id: 'AwAv', file_unique_id: 'u', duration: 3, mime_type: 'audio/ogg', file_size: 7000 },
      },
      'voice',
      'audio/ogg',
    ],
    [
      'audio',
      {
        audio: {
          file_id: 'CQAa',
          file_unique_id: 'u',
          duration: 200,
          performer: 'Kino',
          title: 'Gruppa krovi',
          mime_type: 'audio/mpeg',
        },
      },
      'audio',
      'audio/mpeg',
    ],
    [
      'document',
      {
        document: {
          file_id: 'BQAd',
          file_unique_id: 'u',
          file_name: 'счёт №5.pdf',
          mime_type: 'application/pdf',
          file_size: 3000,
        },
      },
      'document',
      'application/pdf',
    ],
    [
      'video note',
      { video_note: { file_id: 'DQAn', file_unique_id: 'u', length: 240, duration: 4 } },
      'video',
      'video/mp4',
    ],
  ])('%s becomes a %s attachment with its file_id', (_name, content, kind, mime) => {
    const e = one(msg(content));
    expect(e.contentKind).toBe(kind);
    expect(e.attachments).toHaveLength(1);
    expect(e.attachments[0]).toMatchObject({ kind, mimeType: mime });
    expect(e.attachments[0]!.providerRef).toMatch(/^[A-Za-z]{4}$/);
  });

  it('keeps a document file name and names audio after performer and title', () => {
    expect(
      one(msg({ document: { file_id: 'BQAd', file_unique_id: 'u', file_name: 'счёт №5.pdf' } }))
        .attachments[0]!.name,
    ).toBe('счёт №5.pdf');
    expect(
      one(
        msg({
          audio: {
            file_id: 'CQAa',
            file_unique_id: 'u',
            duration: 1,
            performer: 'Kino',
            title: 'Gruppa krovi',
          },
        }),
      ).attachments[0]!.name,
    ).toBe('Kino - Gruppa krovi.mp3');
  });

  it.each([
    [{ is_animated: false, is_video: false }, 'image/webp'],
    [{ is_animated: true, is_video: false }, 'application/x-tgsticker'],
    [{ is_animated: false, is_video: true }, 'video/webm'],
  ])('sticker %o is stored as %s with its emoji', (flags, mime) => {
    const e = one(
      msg({
        sticker: {
          file_id: 'CAAs',
          file_unique_id: 'u',
          type: 'regular',
          width: 512,
          height: 512,
          emoji: '👍',
          set_name: 'Cats',
          ...flags,
        },
      }),
    );
    expect(e.contentKind).toBe('sticker');
    expect(e.text).toBeNull();
    expect(e.attachments[0]).toMatchObject({ kind: 'sticker', providerRef: 'CAAs', mimeType: mime });
    expect(e.meta).toMatchObject({ sticker: { emoji: '👍', setName: 'Cats' } });
  });

  it('location, venue and contact carry readable text and structured meta', () => {
    const loc = one(msg({ location: { latitude: 55.751244, longitude: 37.618423 } }));
    expect(loc).toMatchObject({ contentKind: 'location', text: '55.751244, 37.618423' });
    expect(loc.meta).toMatchObject({ location: { latitude: 55.751244, longitude: 37.618423 } });

    const venue = one(
      msg({
        location: { latitude: 59.9398, longitude: 30.3146 },
        venue: {
          location: { latitude: 59.9398, longitude: 30.3146 },
          title: 'Эрмитаж',
          address: 'Дворцовая пл., 2',
        },
      }),
    );
    expect(venue.contentKind).toBe('location');
    expect(venue.text).toContain('Эрмитаж, Дворцовая пл., 2');

    const contact = one(
      msg({
        contact: { phone_number: '+79990001122', first_name: 'Иван', last_name: 'Смирнов', user_id: 5 },
      }),
    );
    expect(contact).toMatchObject({ contentKind: 'contact', text: 'Иван Смирнов +79990001122' });
    expect(contact.meta).toMatchObject({ sharedContact: { phone: '+79990001122', telegramUserId: 5 } });
  });

  it('an edited message keeps the message id and says when it was edited', () => {
    const events = parseTelegramUpdate({
      update_id: 900000002,
      edited_message: {
        message_id: 42,
        from: alice,
        chat: privateChat,
        date: 1764000000,
        edit_date: 1764000090,
        text: 'исправлено',
      },
    });
    expect(events).toEqual([
      expect.objectContaining({
        providerMessageId: '111222333:42',
        text: 'исправлено',
        editedAt: 1764000090_000,
      }),
    ]);
  });

  it('a group is one contact; each member is recorded as the author of their message', () => {
    const group = { id: -1001234567890, title: 'Оптовики', type: 'supergroup' };
    const bob = { id: 444, is_bot: false, first_name: 'Bob' };
    const a = one(msg({ text: 'привет' }, group));
    const b = one({
      update_id: 3,
      message: { message_id: 43, from: bob, chat: group, date: 1764000001, text: 'hi' },
    });
    expect(a.contact).toEqual({ externalId: '-1001234567890', name: 'Оптовики' });
    expect(b.contact).toEqual(a.contact);
    expect(a.meta?.author).toEqual({ id: '111222333', name: 'Алиса Петрова', username: 'alice_p' });
    expect(b.meta?.author).toEqual({ id: '444', name: 'Bob', username: null });
    expect(b.providerMessageId).toBe('-1001234567890:43');
  });

  it('records the message a customer replied to', () => {
    const e = one(
      msg({
        text: 'да',
        reply_to_message: { message_id: 40, chat: privateChat, date: 1, text: 'Оплатите?' },
      }),
    );
    expect(e.meta?.replyTo).toBe('111222333:40');
  });

  it('service messages and updates Switchboard does not handle produce nothing', () => {
    const group = { id: -100, title: 'G', type: 'group' };
    expect(parseTelegramUpdate(msg({ new_chat_members: [alice] }, group))).toEqual([]);
    expect(parseTelegramUpdate(msg({ left_chat_member: alice }, group))).toEqual([]);
    expect(
      parseTelegramUpdate({
        update_id: 5,
        channel_post: { message_id: 1, chat: { id: -5, type: 'channel' }, date: 1, text: 'x' },
      }),
    ).toEqual([]);
    expect(
      parseTelegramUpdate({
        update_id: 6,
        my_chat_member: {
          chat: privateChat,
          from: alice,
          date: 1,
          old_chat_member: {},
          new_chat_member: { status: 'kicked' },
        },
      }),
    ).toEqual([]);
  });

  it('content Switchboard cannot show still reaches the operator as a system note', () => {
    const e = one(
      msg({
        poll: {
          id: 'p',
          question: 'Q?',
          options: [],
          total_voter_count: 0,
          is_closed: false,
          is_anonymous: true,
          type: 'regular',
          allows_multiple_answers: false,
        },
      }),
    );
    expect(e.contentKind).toBe('system');
    expect(e.text).toMatch(/poll/);
    const dice = one(msg({ dice: { emoji: '🎲', value: 4 } }));
    expect(dice.contentKind).toBe('system');
  });
});
