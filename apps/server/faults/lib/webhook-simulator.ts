import { signApiBody } from '../../src/modules/channels/api/api-signature.ts';

/** One customer message as the business's system would post it to the API channel. */
export interface InboundMessage {
  eventId: string;
  contactId: string;
  messageId: string;
  text: string;
}

export interface Attempt {
  at: number;
  /** HTTP status ("200", "503"), or the network error ("ECONNREFUSED", "ECONNRESET", "timeout"). */
  outcome: string;
  ms: number;
  retryAfter?: string;
}

export interface DeliveryRecord {
  message: InboundMessage;
  attempts: Attempt[];
  ackedAt?: number;
}

export interface SimulatorOptions {
  url: string;
  secret: string;
  /** Requests in flight at once (a provider's delivery workers). */
  concurrency: number;
  /** A request not answered within this is abandoned and retried, like providers do. */
  timeoutMs: number;
  /** Exponential backoff between attempts of one message: base · 2^(n-1), jittered to [½, 1], capped. */
  backoffBaseMs: number;
  backoffCapMs: number;
  /** The simulator gives up on a message after this long (bounded run); such a message counts as lost. */
  deadlineMs: number;
  /** First attempts per second (the burst's pace); unpaced when absent. */
  ratePerSec?: number;
}

class Semaphore {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(n: number) {
    this.free = n;
  }
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function networkOutcome(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
  return e.cause?.code ?? e.code ?? e.cause?.name ?? e.name ?? 'error';
}

/**
 * A provider delivering signed webhooks the way real ones do: every non-2xx answer, refused or reset
 * connection and timeout is retried with exponential backoff until acknowledged (or the deadline).
 * Only a 2xx counts as delivered; what happened on each attempt is kept for the report.
 */
export class WebhookSimulator {
  readonly records: DeliveryRecord[];
  acked = 0;
  /** Requests sent and not yet answered. */
  inFlight = 0;
  private aborted = false;
  private readonly slots: Semaphore;

  constructor(
    messages: InboundMessage[],
    private readonly opts: SimulatorOptions,
  ) {
    this.records = messages.map((message) => ({ message, attempts: [] }));
    this.slots = new Semaphore(opts.concurrency);
  }

  static body(m: InboundMessage): string {
    return JSON.stringify({
      eventId: m.eventId,
      contact: { externalId: m.contactId, name: `Customer ${m.contactId}` },
      message: { externalId: m.messageId, text: m.text },
    });
  }

  /** Delivers everything; resolves when every message is acknowledged or the deadline passed. */
  async run(): Promise<void> {
    const deadline = Date.now() + this.opts.deadlineMs;
    const started = Date.now();
    const deliveries: Promise<void>[] = [];
    for (const [i, rec] of this.records.entries()) {
      if (this.aborted) break;
      if (this.opts.ratePerSec) {
        const due = started + (i * 1000) / this.opts.ratePerSec;
        if (due > Date.now()) await sleep(due - Date.now());
      }
      deliveries.push(this.deliver(rec, deadline));
    }
    await Promise.all(deliveries);
  }

  private async deliver(rec: DeliveryRecord, deadline: number): Promise<void> {
    const raw = WebhookSimulator.body(rec.message);
    const signature = signApiBody(this.opts.secret, raw);
    for (let n = 1; Date.now() < deadline && !this.aborted; n++) {
      await this.slots.acquire();
      const at = Date.now();
      let attempt: Attempt;
      this.inFlight++;
      try {
        const res = await fetch(this.opts.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-switchboard-signature': signature },
          body: raw,
          signal: AbortSignal.timeout(this.opts.timeoutMs),
        });
        await res.arrayBuffer();
        attempt = { at, outcome: String(res.status), ms: Date.now() - at };
        const ra = res.headers.get('retry-after');
        if (ra !== null) attempt.retryAfter = ra;
      } catch (err) {
        attempt = { at, outcome: networkOutcome(err), ms: Date.now() - at };
      } finally {
        this.inFlight--;
        this.slots.release();
      }
      rec.attempts.push(attempt);
      if (/^2\d\d$/.test(attempt.outcome)) {
        rec.ackedAt = Date.now();
        this.acked++;
        return;
      }
      const base = Math.min(this.opts.backoffCapMs, this.opts.backoffBaseMs * 2 ** (n - 1));
      await sleep(Math.round(base / 2 + (Math.random() * base) / 2));
    }
  }

  /** Stops retrying (the scenario already failed, e.g. the server died for good). */
  abort(): void {
    this.aborted = true;
  }

  /** How many attempts ended how, e.g. {"200": 3000, "ECONNREFUSED": 412, "503": 37}. */
  outcomes(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.records) for (const a of r.attempts) out[a.outcome] = (out[a.outcome] ?? 0) + 1;
    return out;
  }

  requests(): number {
    return this.records.reduce((n, r) => n + r.attempts.length, 0);
  }

  unacked(): DeliveryRecord[] {
    return this.records.filter((r) => r.ackedAt === undefined);
  }
}

/** `count` messages spread round-robin over `contacts` customers, ids prefixed so runs never collide. */
export function inboundMessages(prefix: string, count: number, contacts: number): InboundMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: `${prefix}-evt-${i}`,
    contactId: `${prefix}-cust-${i % contacts}`,
    messageId: `${prefix}-msg-${i}`,
    text: `Message ${i} from customer ${i % contacts}: where is my order?`,
  }));
}
