import { describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../../../worker/job-errors.ts';
import { VkApiError, VkNetworkError } from './vk-client.ts';
import { vkJobError } from './vk-errors.ts';
import { parseVkEvent, vkMessageId } from './vk-parse.ts';
import { vkRandomId } from './vk-send.ts';

const GROUP = 1;
const event = (type: string, object: unknown) => ({
  type,
  event_id: 'e1',
  v: '5.199',
  object,
  group_id: GROUP,
});

/** A `message_new` in the shape VK's documentation shows for API 5.103+. */
const messageNew = (message: Record<string, unknown>) =>
  event('message_new', {
    message: {
      date: 1_700_000_000,
      from_id: 22,
      id: 31,
      out: 0,
      attachments: [],
      conversation_message_id: 12,
      fwd_messages: [],
      important: false,
      is_hidden: false,
      peer_id: 22,
      random_id: 0,
      text: '',
      ...message,
    },
    client_info: {
      button_actions: ['text'],
      keyboard: true,
      inline_keyboard: true,
      carousel: false,
      lang_id: 0,
    },
  });

describe('VK Callback API parsing', () => {
  it('keys messages by peer and conversation message id and unescapes VK’s HTML entities', () => {
    const [e] = parseVkEvent(messageNew({ text: 'Tom &amp; Jerry &lt;3 &quot;hi&quot;<br>bye' }));
    expect(e).toMatchObject({
      kind: 'message',
      providerMessageId: '22_12',
      contact: { externalId: '22' },
      contentKind: 'text',
      text: 'Tom & Jerry <3 "hi"\nbye',
      providerTs: 1_700_000_000_000,
    });
    expect(vkMessageId({ peer_id: 2_000_000_005, id: 0, conversation_message_id: 7 })).toBe('2000000005_7');
  });

  it('reads the pre-5.103 shape (the message as the object) too', () => {
    const [e] = parseVkEvent(
      event('message_new', {
        id: 5,
        peer_id: 9,
        from_id: 9,
        date: 1,
        text: 'old',
        conversation_message_id: 3,
      }),
    );
    expect(e).toMatchObject({ kind: 'message', providerMessageId: '9_3', text: 'old' });
  });

  it('takes the largest photo size, the OGG of a voice note, and a doc’s name', () => {
    const [photo] = parseVkEvent(
      messageNew({
        attachments: [
          {
            type: 'photo',
            photo: {
              id: 1,
              owner_id: 22,
              sizes: [
                { type: 'x', width: 604, height: 403, url: 'https://sun9-1.userapi.com/x.jpg' },
                { type: 'w', width: 2560, height: 1707, url: 'https://sun9-1.userapi.com/w.jpg' },
                { type: 's', width: 75, height: 50, url: 'https://sun9-1.userapi.com/s.jpg' },
              ],
            },
          },
        ],
      }),
    );
    expect(photo).toMatchObject({
      contentKind: 'image',
      text: null,
      attachments: [{ kind: 'image', url: 'https://sun9-1.userapi.com/w.jpg' }],
    });
    const [voice] = parseVkEvent(
      messageNew({
        attachments: [
          {
            type: 'audio_message',
            audio_message: {
              duration: 4,
              link_ogg: 'https://psv4.userapi.com/a.ogg',
              link_mp3: 'https://psv4.userapi.com/a.mp3',
              transcript: 'привет',
            },
          },
        ],
      }),
    );
    expect(voice).toMatchObject({
      contentKind: 'voice',
      attachments: [{ kind: 'voice', url: 'https://psv4.userapi.com/a.ogg', mimeType: 'audio/ogg' }],
      meta: { voice: { duration: 4, transcript: 'привет' } },
    });
    const [doc] = parseVkEvent(
      messageNew({
        attachments: [
          {
            type: 'doc',
            doc: {
              id: 1,
              owner_id: 22,
              title: 'report',
              ext: 'pdf',
              size: 10,
              url: 'https://vk.com/doc22_1',
            },
          },
        ],
      }),
    );
    expect(doc).toMatchObject({ contentKind: 'document', attachments: [{ name: 'report.pdf', size: 10 }] });
  });

  it('shows what has no file (video, wall post, link) as lines of text', () => {
    const [e] = parseVkEvent(
      messageNew({
        text: 'look',
        attachments: [
          { type: 'video', video: { id: 5, owner_id: -7, title: 'Обзор' } },
          { type: 'wall', wall: { id: 8, from_id: -7 } },
          { type: 'link', link: { url: 'https://example.com/p', title: 'Page' } },
        ],
      }),
    );
    expect(e).toMatchObject({
      contentKind: 'text',
      text: 'look\nVideo "Обзор": https://vk.com/video-7_5\nWall post: https://vk.com/wall-7_8\nPage https://example.com/p',
    });
  });

  it('geo in the current shape and the old "lat long" string', () => {
    const [a] = parseVkEvent(
      messageNew({
        geo: {
          type: 'point',
          coordinates: { latitude: 59.93, longitude: 30.31 },
          place: { title: 'Санкт-Петербург' },
        },
      }),
    );
    expect(a).toMatchObject({
      contentKind: 'location',
      text: 'Санкт-Петербург (59.93, 30.31)',
      meta: { location: { latitude: 59.93, longitude: 30.31, name: 'Санкт-Петербург' } },
    });
    const [b] = parseVkEvent(messageNew({ geo: { type: 'point', coordinates: '59.93 30.31' } }));
    expect(b).toMatchObject({ contentKind: 'location', text: '59.93, 30.31' });
  });

  it('group chats: the chat is the contact, the writer is the author', () => {
    const [e] = parseVkEvent(
      messageNew({ peer_id: 2_000_000_001, from_id: 55, id: 0, conversation_message_id: 40, text: 'hi all' }),
    );
    expect(e).toMatchObject({
      contact: { externalId: '2000000001' },
      providerMessageId: '2000000001_40',
      meta: { author: { id: '55' } },
    });
  });

  it('message_reply: ours by random_id, an admin’s by admin_author_id; the community’s edits are not inbound', () => {
    const reply = (extra: Record<string, unknown>) =>
      parseVkEvent(
        event('message_reply', {
          id: 40,
          peer_id: 22,
          from_id: -GROUP,
          out: 1,
          date: 5,
          text: 'answer',
          conversation_message_id: 13,
          ...extra,
        }),
      );
    expect(reply({ random_id: 123 })[0]).toMatchObject({
      kind: 'echo',
      providerMessageId: 'rnd:22:123',
      author: 'VK community',
      ownSendsMarked: false,
    });
    expect(reply({ random_id: 77, admin_author_id: 9 })[0]).toMatchObject({
      kind: 'echo',
      providerMessageId: '22_13',
      meta: { vk: { adminAuthorId: 9 } },
    });
    // No random_id: the message id `messages.send` answered finds ours.
    expect(reply({ random_id: 0 })[0]).toMatchObject({ providerMessageId: '22_id40' });
    expect(
      parseVkEvent(
        event('message_edit', {
          id: 40,
          peer_id: 22,
          from_id: -GROUP,
          out: 1,
          date: 5,
          text: 'x',
          conversation_message_id: 13,
        }),
      ),
    ).toEqual([]);
    const [edit] = parseVkEvent(
      event('message_edit', {
        id: 31,
        peer_id: 22,
        from_id: 22,
        date: 5,
        update_time: 9,
        text: 'fixed',
        conversation_message_id: 12,
      }),
    );
    expect(edit).toMatchObject({
      kind: 'message',
      providerMessageId: '22_12',
      text: 'fixed',
      editedAt: 9000,
    });
  });

  it('message_allow and message_deny are the customer’s consent', () => {
    expect(parseVkEvent(event('message_allow', { user_id: 22, key: 'promo' }))).toEqual([
      {
        kind: 'consent',
        contact: { externalId: '22', name: null },
        optIn: true,
        source: 'vk:message_allow:promo',
      },
    ]);
    expect(parseVkEvent(event('message_deny', { user_id: 22 }))).toEqual([
      { kind: 'consent', contact: { externalId: '22', name: null }, optIn: false, source: 'vk:message_deny' },
    ]);
    expect(
      parseVkEvent(event('message_typing_state', { state: 'typing', from_id: 22, to_id: -GROUP })),
    ).toEqual([]);
  });
});

describe('VK send errors and random_id', () => {
  it('random_id is a positive int32, the same for the same message part', () => {
    const a = vkRandomId('01JABCDEF', 0);
    expect(a).toBe(vkRandomId('01JABCDEF', 0));
    expect(a).not.toBe(vkRandomId('01JABCDEF', 1));
    expect(a > 0 && a <= 0x7fffffff).toBe(true);
  });

  it('6, 9 and 29 retry with backoff; 5 and 7 are the channel’s; 900/901/902 are final with a reason', () => {
    for (const code of [6, 9, 29, 10]) {
      const e = vkJobError(new VkApiError('messages.send', code, 'x'));
      expect(e).toBeInstanceOf(RetryableError);
      expect((e as RetryableError).retryAfterMs).toBeUndefined();
    }
    expect(vkJobError(new VkNetworkError('reset'))).toBeInstanceOf(RetryableError);
    expect(vkJobError(new VkApiError('messages.send', 5, 'x'))).toMatchObject({ code: 'invalid_token' });
    expect(vkJobError(new VkApiError('messages.send', 7, 'x'))).toMatchObject({ code: 'missing_permission' });
    for (const [code, id] of [
      [900, 'blocked'],
      [901, 'not_allowed'],
      [902, 'recipient_privacy'],
    ] as const) {
      const e = vkJobError(new VkApiError('messages.send', code, 'VK words'));
      expect(e).toBeInstanceOf(PermanentError);
      expect(e).toMatchObject({ code: id });
      expect(e.message).toMatch(new RegExp(`\\(error ${code}\\)$`));
      expect(e.message).not.toContain('VK words');
    }
  });
});
