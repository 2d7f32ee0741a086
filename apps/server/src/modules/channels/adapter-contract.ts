import type { ContentKind } from '@switchboard/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChannelKit,
  type MessageItem,
  type ProviderAnswer,
  type ProviderRequest,
  ScriptedProvider,
  channelKit,
} from '../../../test/channel-kit.ts';
import { type TestApp, createTestApp } from '../../../test/test-app.ts';
import { testDialects } from '../../../test/test-db.ts';
import { ManualClock } from '../../infra/clock.ts';
import type { ChannelRuntime } from './channel-adapter.ts';
import { adapterFor, webhookSegmentOf } from './channel-registry.ts';
import { loadChannel } from './channel.service.ts';

/** Switchboard's public address in the suite: webhook URLs (and Twilio's signatures) are built on it. */
export const CONTRACT_PUBLIC_URL = 'https://switchboard.test';

/** An HTTP request into Switchboard as the provider (or the visitor's browser) makes it. */
export interface InboundCall {
  method?: 'POST' | 'GET';
  /** Defaults to the channel's webhook path, `/webhooks/<type>/<channelId>`. */
  path?: string;
  headers: Record<string, string>;
  /** The exact bytes: signatures are over these. */
  body: string | Buffer;
}

/** What a fixture kit gets to build its requests. */
export interface KitChannel {
  t: TestApp;
  channel: ChannelRuntime;
  /** `${CONTRACT_PUBLIC_URL}/webhooks/<type, or the adapter's webhookSegment>/<id>` */
  webhookUrl: string;
  /** The admin's view of the channel as created (connection details, generated secrets). */
  created: Record<string, unknown>;
  /** Kit-owned state across one test (a visitor session, counters). */
  state: Record<string, unknown>;
  /** The suite's clock (epoch ms): provider timestamps must be recent, or the window is closed. */
  now(): number;
}

export interface ContentFixture {
  contentKind: ContentKind;
  /** A signed, valid delivery carrying one customer message of this kind; `n` makes ids unique. */
  build(k: KitChannel, n: number): Promise<InboundCall> | InboundCall;
  /** The stored text, when the kind carries one. */
  text?: string | null;
  attachments?: number;
}

export interface ErrorAnswers {
  /** 429 with the provider's own retry-after (seconds). */
  rateLimited(retryAfterSeconds: number): ProviderAnswer;
  /** A transient failure (5xx). */
  transient(): ProviderAnswer;
  /** A failure no retry can fix; `code` is what the operator sees as the message's error code. */
  final: { answer: ProviderAnswer; code: string };
  /** The provider says its messaging window is closed (null: the provider has none). */
  windowClosed: ProviderAnswer | null;
}

/**
 * Everything the contract suite needs to know about one channel type. A kit speaks the provider's wire
 * format; the suite knows nothing of any provider.
 */
export interface AdapterFixtureKit {
  type: string;
  /** The provider's API as a working provider answers it (activation, sends); null: the channel has no outside provider. */
  provider: {
    answer(req: ProviderRequest, sendNo: number): ProviderAnswer;
    isSend(req: ProviderRequest): boolean;
  } | null;
  /** Settings for `POST /channels` (secrets included), against the fake provider at `providerUrl`. */
  settings(providerUrl: string): Record<string, unknown>;
  /** Optional per-test setup (e.g. a visitor session); may keep what it needs in `k.state`. */
  prepare?(k: KitChannel): Promise<void>;
  /** One fixture per content kind the channel receives; the first must be text. */
  content: ContentFixture[];
  /** A delivery whose authenticity check must fail (wrong signature, secret or token). */
  forged(k: KitChannel): Promise<InboundCall> | InboundCall;
  /**
   * Body-signing providers: a delivery signed over other bytes than those sent (the same JSON re-spaced):
   * proves the check runs on the raw bytes. Null where the provider does not sign the body.
   */
  tampered: ((k: KitChannel) => Promise<InboundCall> | InboundCall) | null;
  /** A receipt for one of our messages (null: the channel has none). Used with `higher` then `lower`. */
  receipts: {
    build(
      k: KitChannel,
      providerMessageId: string,
      status: 'sent' | 'delivered' | 'read',
      n: number,
    ): Promise<InboundCall> | InboundCall;
    higher: 'delivered' | 'read';
    lower: 'sent' | 'delivered';
  } | null;
  /** The provider's error answers for a send (null: no outside provider, nothing can fail there). */
  errors: ErrorAnswers | null;
  /**
   * Quick-reply buttons, exactly when `capabilities.features.buttons` is true (null otherwise): how the
   * send request shows them (null: no outside provider to look at), and the customer's tap on one.
   */
  buttons?: {
    sent: ((req: ProviderRequest) => { id: string; title: string }[]) | null;
    tap(
      k: KitChannel,
      tapped: { providerMessageId: string; id: string; title: string },
      n: number,
    ): Promise<InboundCall> | InboundCall;
  } | null;
}

const dialects = await testDialects();

/**
 * The behaviour every channel adapter must have, proven over real HTTP against a local fake provider and
 * on both dialects: authenticity on the raw bytes, every content kind normalised, duplicates ignored,
 * receipts monotonic, rate limits and transient failures retried at the provider's retry-after, final
 * errors final with a reason an operator can read, window errors as `window_closed`; and the adapter's
 * declarations (capabilities, settings form) consistent with what it does.
 */
export function adapterContract(kit: AdapterFixtureKit): void {
  describe.each(dialects)(`Channel adapter contract: ${kit.type} (%s)`, (dialect) => {
    let provider: ScriptedProvider | null = null;
    let t: TestApp;
    let clock: ManualClock;
    let h: ChannelKit;
    let k: KitChannel;
    let n = 0;

    beforeAll(async () => {
      if (kit.provider)
        provider = await new ScriptedProvider(kit.provider.answer, kit.provider.isSend).start();
    });
    afterAll(async () => {
      await provider?.stop();
    });
    beforeEach(async () => {
      clock = new ManualClock(Date.now());
      t = await createTestApp(dialect, { clock, env: { PUBLIC_URL: CONTRACT_PUBLIC_URL } });
      h = channelKit(t);
      provider?.sendScript.splice(0);
      const res = await h.as(t.admin, 'POST', '/api/v1/channels', {
        type: kit.type,
        name: `${kit.type} contract`,
        settings: kit.settings(provider?.url ?? ''),
      });
      expect(res.statusCode, res.body).toBe(201);
      const created = res.json() as Record<string, unknown> & { id: string };
      const { runtime } = await loadChannel(t.ctx, created.id, t.admin.accountId);
      k = {
        t,
        channel: runtime,
        webhookUrl: `${CONTRACT_PUBLIC_URL}/webhooks/${webhookSegmentOf(kit.type)}/${created.id}`,
        created,
        state: {},
        now: () => clock.now(),
      };
      await kit.prepare?.(k);
    });
    afterEach(async () => {
      await t.close();
    });

    const deliver = (call: InboundCall): Promise<LightMyRequestResponse> =>
      t.app.inject({
        method: call.method ?? 'POST',
        url: call.path ?? new URL(k.webhookUrl).pathname,
        headers: call.headers,
        payload: call.body,
      });
    const accepted = (res: LightMyRequestResponse) => expect(res.statusCode, res.body).toBeLessThan(300);

    /** A customer writes (the text fixture) and the worker applies it: the conversation to answer in. */
    async function customerWrites(): Promise<string> {
      accepted(await deliver(await kit.content[0]!.build(k, ++n)));
      await t.drainJobs();
      const [conv] = await h.conversations();
      expect(conv, 'the text fixture opens a conversation').toBeDefined();
      return conv!.id;
    }

    async function lastOutbound(convId: string): Promise<MessageItem> {
      const out = (await h.messagesOf(convId)).filter((m) => m.direction === 'out');
      return out.at(-1)!;
    }

    /** An operator's reply, sent by the worker once; answers the stored message. */
    async function replyOnce(convId: string, text = 'Thanks, we are on it'): Promise<MessageItem> {
      const res = await h.reply(convId, text);
      expect(res.statusCode, res.body).toBe(202);
      await t.drainJobs();
      return lastOutbound(convId);
    }

    it('declares its capabilities and a labelled settings form consistent with its fixtures', () => {
      const a = adapterFor(kit.type);
      expect(a.label.en.length * a.label.ru.length).toBeGreaterThan(0);
      expect(kit.content[0]?.contentKind).toBe('text');
      expect(a.capabilities.outbound.media.rules.length).toBeGreaterThan(0);
      const f = a.capabilities.features;
      expect(kit.receipts !== null, 'a receipt fixture exactly when the channel has receipts').toBe(
        f.deliveryReceipts || f.readReceipts,
      );
      if (a.capabilities.window.providerWindowMs !== null)
        expect(kit.errors?.windowClosed, "a provider window means the provider's window error").toBeTruthy();
      if (a.capabilities.addressing.importable) expect(a.capabilities.addressing.format).not.toBe('none');
      expect(kit.buttons != null, 'a button fixture exactly when the channel draws buttons').toBe(f.buttons);
    });

    it.skipIf(kit.buttons == null)(
      'sends buttons the customer can tap, and takes the tap as their answer with the button id',
      async () => {
        const convId = await customerWrites();
        const buttons = [
          { id: 'yes', title: 'Yes' },
          { id: 'no', title: 'No' },
        ];
        const before = provider?.sends().length ?? 0;
        const res = await h.as(t.admin, 'POST', `/api/v1/conversations/${convId}/messages`, {
          text: 'Did this solve it?',
          buttons,
          clientMessageId: `contract-buttons-${++n}`,
        });
        expect(res.statusCode, res.body).toBe(202);
        await t.drainJobs();
        const sent = await lastOutbound(convId);
        expect(sent.deliveryStatus).toBe('sent');
        if (kit.buttons!.sent) {
          const reqs = provider!.sends().slice(before);
          expect(reqs.flatMap(kit.buttons!.sent), 'the buttons reach the provider').toEqual(buttons);
        }
        accepted(
          await deliver(
            await kit.buttons!.tap(k, { providerMessageId: sent.providerMessageId!, ...buttons[1]! }, ++n),
          ),
        );
        await t.drainJobs();
        const all = await h.messagesOf(convId);
        const tap = all.at(-1)!;
        expect(tap).toMatchObject({ direction: 'in', text: 'No' });
        expect((tap.meta as { buttonId?: string }).buttonId).toBe('no');
        expect((await h.conversations()).length, 'the tap stays in the conversation').toBe(1);
      },
    );

    it('accepts a signed delivery and refuses a forged one, storing nothing for it', async () => {
      const bad = await deliver(await kit.forged(k));
      expect([401, 403]).toContain(bad.statusCode);
      expect(bad.json().error?.code).toBeTruthy();
      expect(await h.count('inbound_events')).toBe(0);
      accepted(await deliver(await kit.content[0]!.build(k, ++n)));
      expect(await h.count('inbound_events')).toBe(1);
    });

    it.skipIf(kit.tampered === null)(
      'checks the signature on the raw bytes, not on re-serialised JSON',
      async () => {
        const res = await deliver(await kit.tampered!(k));
        expect([401, 403]).toContain(res.statusCode);
        expect(await h.count('inbound_events')).toBe(0);
      },
    );

    it.each(kit.content.map((c) => [c.contentKind, c] as const))(
      'normalises a %s message',
      async (_kind, fixture) => {
        accepted(await deliver(await fixture.build(k, ++n)));
        await t.drainJobs();
        const [conv] = await h.conversations();
        const [m] = await h.messagesOf(conv!.id);
        expect(m).toMatchObject({ direction: 'in', contentKind: fixture.contentKind });
        if (fixture.text !== undefined) expect(m!.text).toBe(fixture.text);
        expect(m!.attachments.length).toBe(fixture.attachments ?? 0);
      },
    );

    it('ignores a redelivery with the same idempotency id', async () => {
      const call = await kit.content[0]!.build(k, ++n);
      accepted(await deliver(call));
      accepted(await deliver(call));
      await t.drainJobs();
      expect(await h.count('inbound_events')).toBe(1);
      expect(await h.count('messages')).toBe(1);
    });

    it.skipIf(kit.receipts === null)(
      'keeps receipts monotonic: a late lower status never regresses',
      async () => {
        const r = kit.receipts!;
        const sent = await replyOnce(await customerWrites());
        expect(sent.deliveryStatus).toBe('sent');
        expect(sent.providerMessageId).toBeTruthy();
        accepted(await deliver(await r.build(k, sent.providerMessageId!, r.higher, ++n)));
        await t.drainJobs();
        accepted(await deliver(await r.build(k, sent.providerMessageId!, r.lower, ++n)));
        await t.drainJobs();
        const after = (await h.messagesOf(sent.conversationId as string)).find((m) => m.id === sent.id)!;
        expect(after.deliveryStatus).toBe(r.higher);
      },
    );

    it.skipIf(kit.errors === null)(
      "retries a 429 exactly at the provider's retry-after, then a 5xx, then sends",
      async () => {
        const convId = await customerWrites();
        provider!.sendScript.push(kit.errors!.rateLimited(7), kit.errors!.transient());
        const before = provider!.sends().length;
        const res = await h.reply(convId, 'Your order left the warehouse');
        expect(res.statusCode).toBe(202);
        await t.drainJobs();
        expect(provider!.sends().length - before).toBe(1);
        expect((await lastOutbound(convId)).deliveryStatus).toBe('queued');
        clock.advance(6_000);
        await t.drainJobs();
        expect(provider!.sends().length - before, 'not before the retry-after').toBe(1);
        clock.advance(1_000);
        await t.drainJobs();
        expect(provider!.sends().length - before, 'at the retry-after').toBe(2);
        clock.advance(3_600_000);
        await t.drainJobs();
        expect(provider!.sends().length - before).toBe(3);
        const m = await lastOutbound(convId);
        expect(m.deliveryStatus).toBe('sent');
        expect(m.error).toBeNull();
      },
    );

    it.skipIf(kit.errors === null)(
      'fails a final error at once, with a reason an operator can read',
      async () => {
        const convId = await customerWrites();
        provider!.sendScript.push(kit.errors!.final.answer);
        const before = provider!.sends().length;
        await replyOnce(convId);
        clock.advance(3_600_000);
        await t.drainJobs();
        expect(provider!.sends().length - before, 'never retried').toBe(1);
        const m = await lastOutbound(convId);
        expect(m.deliveryStatus).toBe('failed');
        expect(m.error?.code).toBe(kit.errors!.final.code);
        expect(m.error?.message.length).toBeGreaterThan(10);
        expect(m.error?.message).not.toMatch(/^\s*[{[]/);
      },
    );

    it.skipIf(kit.errors?.windowClosed == null)(
      "maps the provider's window error to window_closed",
      async () => {
        const convId = await customerWrites();
        provider!.sendScript.push(kit.errors!.windowClosed!);
        const m = await replyOnce(convId);
        expect(m.deliveryStatus).toBe('failed');
        expect(m.error?.code).toBe('window_closed');
      },
    );
  });
}
