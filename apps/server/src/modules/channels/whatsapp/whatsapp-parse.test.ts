import { describe, expect, it } from 'vitest';
import type { InboundEvent } from '../channel-adapter.ts';
import { parseWhatsAppEvent } from './whatsapp-parse.ts';

// Messages shaped after Meta's webhook reference for the `messages` field, not after our sandbox.
const contact = { profile: { name: 'Мария' }, wa_id: '79990001122' };
const base = { from: '79990001122', id: 'wamid.HBgLNzk5OTAwMDExMjIVAgASGBQzQUI=', timestamp: '1764000000' };
const one = (message: Record<string, unknown>) => {
  const events = parseWhatsAppEvent({ kind: 'message', contact, message: { ...base, ...message } });
  expect(events).toHaveLength(1);
  return events[0] as Extract<InboundEvent, { kind: 'message' }>;
};

describe('WhatsApp message parsing', () => {
  it('text: wa_id is the contact, the profile name and +phone fill it, wamid is the message id', () => {
    expect(one({ type: 'text', text: { body: 'Привет / hi' } })).toMatchObject({
      providerMessageId: base.id,
      contact: { externalId: '79990001122', name: 'Мария', phone: '+79990001122' },
      contentKind: 'text',
      text: 'Привет / hi',
      providerTs: 1764000000_000,
    });
  });

  it.each([
    [
      'image',
      { image: { caption: 'фото', mime_type: 'image/jpeg', sha256: 'abc', id: '1001' } },
      'image',
      'фото',
    ],
    ['video', { video: { mime_type: 'video/mp4', sha256: 'abc', id: '1002' } }, 'video', null],
    ['audio', { audio: { mime_type: 'audio/mpeg', sha256: 'abc', id: '1003', voice: false } }, 'audio', null],
    [
      'audio',
      { audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'abc', id: '1004', voice: true } },
      'voice',
      null,
    ],
    [
      'document',
      {
        document: {
          caption: 'счёт',
          filename: 'invoice.pdf',
          mime_type: 'application/pdf',
          sha256: 'abc',
          id: '1005',
        },
      },
      'document',
      'счёт',
    ],
    [
      'sticker',
      { sticker: { mime_type: 'image/webp', sha256: 'abc', id: '1006', animated: false } },
      'sticker',
      null,
    ],
  ])('%s → %s attachment keyed by media id', (type, payload, kind, text) => {
    const e = one({ type, ...payload });
    expect(e.contentKind).toBe(kind);
    expect(e.text).toBe(text);
    const media = Object.values(payload)[0] as { id: string; mime_type: string; filename?: string };
    expect(e.attachments).toEqual([
      { kind, providerRef: media.id, mimeType: media.mime_type, name: media.filename },
    ]);
  });

  it('location and shared contacts', () => {
    const loc = one({
      type: 'location',
      location: { latitude: 55.75, longitude: 37.61, name: 'Офис', address: 'Тверская, 1' },
    });
    expect(loc).toMatchObject({ contentKind: 'location', text: 'Офис, Тверская, 1 (55.75, 37.61)' });
    const c = one({
      type: 'contacts',
      contacts: [
        {
          name: { formatted_name: 'Иван Петров', first_name: 'Иван' },
          phones: [{ phone: '+7 999 111-22-33', type: 'CELL' }],
        },
      ],
    });
    expect(c).toMatchObject({ contentKind: 'contact', text: 'Иван Петров +7 999 111-22-33' });
    expect(c.meta).toMatchObject({ sharedContacts: [{ name: 'Иван Петров', phones: ['+7 999 111-22-33'] }] });
  });

  it('interactive replies, template buttons and reactions', () => {
    const ctx = { context: { from: '15550001234', id: 'wamid.OUT' } };
    const btn = one({
      ...ctx,
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Да' } },
    });
    expect(btn).toMatchObject({ contentKind: 'text', text: 'Да' });
    expect(btn.meta).toMatchObject({
      buttonId: 'yes',
      interactive: { type: 'button_reply', id: 'yes' },
      replyTo: 'wamid.OUT',
    });
    const list = one({
      ...ctx,
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: 'size-m', title: 'M', description: 'Medium' } },
    });
    expect(list).toMatchObject({ text: 'M', meta: { buttonId: 'size-m', interactive: { id: 'size-m' } } });
    const tb = one({ ...ctx, type: 'button', button: { payload: 'STOP', text: 'Отписаться' } });
    expect(tb).toMatchObject({ text: 'Отписаться', meta: { button: { payload: 'STOP' } } });
    const r = one({ type: 'reaction', reaction: { message_id: 'wamid.OUT', emoji: '👍' } });
    expect(r).toMatchObject({
      text: 'Reacted 👍',
      meta: { reaction: { messageId: 'wamid.OUT', emoji: '👍' } },
    });
    expect(one({ type: 'reaction', reaction: { message_id: 'wamid.OUT' } }).text).toBe('Removed a reaction');
  });

  it('unsupported and unreadable messages reach the operator as a system note', () => {
    const u = one({ type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }] });
    expect(u).toMatchObject({ contentKind: 'system' });
    expect(u.text).toContain('131051');
    const broken = one({ type: 'image', image: { caption: 'no id' } });
    expect(broken.contentKind).toBe('system');
  });

  // Shapes from Meta's "Edit messages" / "Revoke messages" webhook references (coexistence numbers).
  const ORIGINAL = 'wamid.HBgLNzk5OTAwMDExMjIVAgASGBQzQUJPUklHSU5BTA==';
  it('edit: the new version of the original message (its id), with the edit time as editedAt', () => {
    const e = one({
      id: 'wamid.EDIT1',
      timestamp: '1764000300',
      type: 'edit',
      edit: {
        original_message_id: ORIGINAL,
        message: { context: { id: ORIGINAL }, type: 'text', text: { body: 'Size L, not M' } },
      },
    });
    expect(e).toMatchObject({
      kind: 'message',
      providerMessageId: ORIGINAL,
      contact: { externalId: '79990001122' },
      contentKind: 'text',
      text: 'Size L, not M',
      editedAt: 1764000300_000,
      meta: { whatsapp: { type: 'text' } },
    });
    const caption = one({
      type: 'edit',
      edit: {
        original_message_id: ORIGINAL,
        message: {
          type: 'image',
          image: { caption: 'новая подпись', mime_type: 'image/jpeg', sha256: 'abc', id: '2001' },
        },
      },
    });
    expect(caption).toMatchObject({
      providerMessageId: ORIGINAL,
      contentKind: 'image',
      text: 'новая подпись',
    });
  });

  it('revoke: the original message is named, with the time; no contact needed', () => {
    const events = parseWhatsAppEvent({
      kind: 'message',
      contact,
      message: { ...base, id: 'wamid.REVOKE1', type: 'revoke', revoke: { original_message_id: ORIGINAL } },
    });
    expect(events).toEqual([{ kind: 'revoke', providerMessageId: ORIGINAL, revokedAt: 1764000000_000 }]);
  });

  it('an edit or revoke without the original id, or delivered as unsupported, is a clear system note', () => {
    const noId = one({ type: 'revoke', revoke: {} });
    expect(noId).toMatchObject({ providerMessageId: base.id, contentKind: 'system' });
    expect(noId.text).toMatch(/deleted an earlier WhatsApp message/);
    const badEdit = one({ type: 'edit', edit: { message: { type: 'text', text: { body: 'x' } } } });
    expect(badEdit.text).toMatch(/edited an earlier WhatsApp message/);
    const asUnsupported = one({
      type: 'unsupported',
      unsupported: { type: 'edit' },
      errors: [{ code: 131051, title: 'Message type unknown' }],
    });
    expect(asUnsupported).toMatchObject({ contentKind: 'system', meta: { unsupported: 'edit' } });
    expect(asUnsupported.text).toBe(
      'The customer edited an earlier WhatsApp message; WhatsApp did not send the new text (error 131051: Message type unknown)',
    );
    const poll = one({ type: 'unsupported', unsupported: { type: 'poll_update' } });
    expect(poll.text).toBe('The customer sent a WhatsApp poll_update message, which Switchboard cannot show');
  });

  it('a business-scoped user id stands in for a missing phone number', () => {
    const events = parseWhatsAppEvent({
      kind: 'message',
      contact: { profile: { name: 'Anon' }, user_id: 'US.13491208655302741918' },
      message: {
        from_user_id: 'US.13491208655302741918',
        id: 'wamid.Z',
        timestamp: '1764000000',
        type: 'text',
        text: { body: 'hi' },
      },
    });
    expect(events[0]).toMatchObject({
      contact: { externalId: 'US.13491208655302741918', phone: null, name: 'Anon' },
    });
  });
});

describe('WhatsApp status parsing', () => {
  const status = (s: Record<string, unknown>) =>
    parseWhatsAppEvent({
      kind: 'status',
      status: { id: 'wamid.OUT', timestamp: '1764000000', recipient_id: '79990001122', ...s },
    });

  it('sent, delivered, read (and played) move the ticks', () => {
    expect(status({ status: 'sent' })).toEqual([
      { kind: 'status', providerMessageId: 'wamid.OUT', status: 'sent' },
    ]);
    expect(status({ status: 'delivered' })[0]).toMatchObject({ status: 'delivered' });
    expect(status({ status: 'read' })[0]).toMatchObject({ status: 'read' });
    expect(status({ status: 'played' })[0]).toMatchObject({ status: 'read' });
    expect(status({ status: 'deleted' })).toEqual([]);
  });

  it('failed carries an operator-readable reason; 131047 says the window is closed', () => {
    expect(
      status({
        status: 'failed',
        errors: [
          {
            code: 131047,
            title: 'Re-engagement message',
            message: 'Re-engagement message',
            error_data: {
              details:
                'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
            },
          },
        ],
      })[0],
    ).toMatchObject({
      status: 'failed',
      errorCode: 'window_closed',
      errorMessage: expect.stringMatching(/24 hours/),
    });
    expect(
      status({ status: 'failed', errors: [{ code: 131026, title: 'Message undeliverable' }] })[0],
    ).toMatchObject({
      errorCode: 'invalid_recipient',
    });
    expect(
      status({ status: 'failed', errors: [{ code: 135000, title: 'Generic user error' }] })[0],
    ).toMatchObject({
      errorCode: 'whatsapp_135000',
    });
  });
});
