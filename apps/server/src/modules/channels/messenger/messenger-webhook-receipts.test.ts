import { describe, expect, it } from 'vitest';
import { MESSENGER_ECHO_MARKER } from './messenger.adapter.ts';

import { PAGE_ID, inbound, page } from './messenger-webhook-fixtures.ts';

describe('Messenger webhook: edits, reactions, receipts, echoes and standby', () => {
  it('message_edits: the new text under the original mid, ordered by time and edit count', () => {
    const { keys, events } = inbound(
      page({
        sender: { id: '<PSID>' },
        recipient: { id: PAGE_ID },
        timestamp: 1458668856463,
        message_edit: { mid: '<MESSAGE_ID>', text: '<TEXT>', num_edit: 2 },
      }),
    );
    expect(keys).toEqual(['edit:<MESSAGE_ID>:2']);
    expect(events[0]).toMatchObject({
      kind: 'message',
      providerMessageId: '<MESSAGE_ID>',
      text: '<TEXT>',
      editedAt: 1458668856465,
    });
  });

  it('message_reactions: react and unreact', () => {
    const react = inbound(
      page({
        sender: { id: '<PSID>' },
        recipient: { id: PAGE_ID },
        timestamp: 1458668856463,
        reaction: { reaction: 'love', emoji: '\u2764\uFE0F', action: 'react', mid: 'm_ours' },
      }),
    ).events[0];
    expect(react).toMatchObject({
      kind: 'message',
      text: 'Reacted \u2764\uFE0F',
      meta: { reaction: { messageId: 'm_ours', action: 'react' } },
    });
    const unreact = inbound(
      page({
        sender: { id: '<PSID>' },
        recipient: { id: PAGE_ID },
        timestamp: 1458668856999,
        reaction: { action: 'unreact', mid: 'm_ours' },
      }),
    ).events[0];
    expect(unreact).toMatchObject({ text: 'Removed a reaction' });
    expect((react as { providerMessageId: string }).providerMessageId).not.toBe(
      (unreact as { providerMessageId: string }).providerMessageId,
    );
  });

  it('Meta’s documentation sample with \\u{…} escapes and a trailing comma still parses', () => {
    const body = `{"object":"page","entry":[{"id":"${PAGE_ID}","time":1,"messaging":[{
   "sender":{ "id":"<PSID>" },
   "recipient":{ "id":"<PAGE_ID>" },
   "timestamp":1458668856463,
   "reaction":{
         "reaction": "smile|angry|sad|wow|love|like|dislike|other",
         "emoji": "\\u{2764}\\u{FE0F}",
         "action": "react|unreact",
         "mid": "<MID_OF_ReactedTo_Message>",
   }
}]}]}`;
    const { events } = inbound(body);
    expect(events[0]).toMatchObject({ text: 'Reacted \u2764\uFE0F' });
  });

  it('message_deliveries: the listed mids and everything up to the watermark', () => {
    const { keys, events } = inbound(
      page({
        sender: { id: '<PSID>' },
        recipient: { id: PAGE_ID },
        delivery: { mids: ['mid.1458668856218:ed81099e15d3f4f233'], watermark: 1458668856253 },
      }),
    );
    expect(keys).toEqual(['delivery:<PSID>:1458668856253:mid.1458668856218:ed81099e15d3f4f233']);
    expect(events).toEqual([
      { kind: 'status', providerMessageId: 'mid.1458668856218:ed81099e15d3f4f233', status: 'delivered' },
      { kind: 'receipt', contactExternalId: '<PSID>', status: 'delivered', upTo: 1458668856253 },
    ]);
  });

  it('message_reads: everything up to the watermark', () => {
    const { events } = inbound(
      page({
        sender: { id: '<PSID>' },
        recipient: { id: PAGE_ID },
        timestamp: 1458668856463,
        read: { watermark: 1458668856253 },
      }),
    );
    expect(events).toEqual([
      { kind: 'receipt', contactExternalId: '<PSID>', status: 'read', upTo: 1458668856253 },
    ]);
  });

  it('message_echoes: ours by the metadata marker, a Page inbox message otherwise', () => {
    const echo = (metadata?: string) =>
      inbound(
        page({
          sender: { id: PAGE_ID },
          recipient: { id: '<PSID>' },
          timestamp: 1457764197627,
          message: {
            is_echo: true,
            app_id: 1517776481860111,
            ...(metadata ? { metadata } : {}),
            mid: 'mid.1457764197618:41d102a3e1ae206a38',
            text: 'hello',
          },
        }),
      );
    const ours = echo(`${MESSENGER_ECHO_MARKER}0190a1b2-c3d4`);
    expect(ours.keys).toEqual(['echo:mid.1457764197618:41d102a3e1ae206a38']);
    expect(ours.events[0]).toMatchObject({
      kind: 'echo',
      ourMessageId: '0190a1b2-c3d4',
      contact: { externalId: '<PSID>' },
      ownSendsMarked: true,
    });
    const inbox = echo('<DEVELOPER_DEFINED_METADATA_STRING>');
    expect(inbox.events[0]).toMatchObject({
      kind: 'echo',
      ourMessageId: null,
      author: 'Page inbox',
      text: 'hello',
      meta: { echo: { appId: '1517776481860111' } },
    });
  });

  it('standby items (another app owns the thread) are stored too', () => {
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          time: 1,
          standby: [
            {
              sender: { id: '7' },
              recipient: { id: PAGE_ID },
              timestamp: 1,
              message: { mid: 'm_sb', text: 'still here' },
            },
          ],
        },
      ],
    });
    expect(inbound(body).events[0]).toMatchObject({ kind: 'message', text: 'still here' });
  });
});
