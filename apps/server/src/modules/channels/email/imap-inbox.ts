import { hostname } from 'node:os';
import type { AppContext } from '../../../app-context.ts';
import { randomToken } from '../../../infra/crypto/ids.ts';
import type { Row } from '../../../infra/db/schema.ts';
import { toRuntime } from '../channel.service.ts';
import { acquireLease, ensureMailboxRow, releaseLease } from './imap-lease.ts';
import { ImapSession } from './imap-session.ts';
import { emailSettingsOf } from './email-settings.ts';

export interface ImapInboxOptions {
  /** How long a lease lasts without renewal: a dead node's mailboxes are taken over after at most this plus tickMs. */
  leaseMs?: number;
  /** How often leases are renewed and free mailboxes looked for (well under leaseMs). */
  tickMs?: number;
  /** The periodic check for new mail besides IDLE. */
  pollMs?: number;
}

/**
 * Reads the mailboxes of the e-mail channels whose mail comes over IMAP, on every worker node: each
 * channel's mailbox is held by exactly one node at a time (a lease in the database, see imap-lease.ts).
 * Every tick renews the leases this node holds and takes free or expired ones; a session whose
 * channel changed (settings, deactivated) is restarted or closed.
 */
export class ImapInbox {
  readonly holder = `${hostname()}:${process.pid}:${randomToken(6)}`;
  private readonly sessions = new Map<string, { session: ImapSession; version: number }>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private stopped = false;
  readonly leaseMs: number;
  readonly tickMs: number;
  readonly pollMs: number;

  constructor(
    private readonly ctx: AppContext,
    opts: ImapInboxOptions = {},
  ) {
    this.leaseMs = opts.leaseMs ?? 45_000;
    this.tickMs = opts.tickMs ?? 10_000;
    this.pollMs = opts.pollMs ?? 60_000;
  }

  start(): this {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
    return this;
  }

  /** Channels whose mailbox this node reads now. */
  held(): string[] {
    return [...this.sessions.keys()];
  }

  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.ticking ??= this.run()
      .catch((err) => this.ctx.log.warn({ err }, 'imap inbox tick failed'))
      .finally(() => {
        this.ticking = null;
      });
    return this.ticking;
  }

  private async run(): Promise<void> {
    const rows = await this.ctx.db.kysely
      .selectFrom('channels')
      .selectAll()
      .where('type', '=', 'email')
      .where('active', '=', 1)
      .execute();
    const wanted = rows.filter((r) => (JSON.parse(r.settings) as { inbound?: string }).inbound === 'imap');
    const ids = new Set(wanted.map((r) => r.id));
    for (const [id, s] of this.sessions)
      if (!ids.has(id)) {
        this.sessions.delete(id);
        await s.session.stop();
        await releaseLease(this.ctx, id, this.holder);
      }
    for (const row of wanted) {
      if (this.stopped) return;
      await this.keep(row);
    }
  }

  private async keep(row: Row<'channels'>): Promise<void> {
    const runtime = toRuntime(this.ctx, row);
    await ensureMailboxRow(this.ctx, row.id, emailSettingsOf(runtime.settings).imap?.mailbox ?? 'INBOX');
    const mine = await acquireLease(this.ctx, row.id, this.holder, this.leaseMs);
    const current = this.sessions.get(row.id);
    if (!mine) {
      // Another node holds it (we lost a lease we had while stalled): it must not be read twice.
      if (current) {
        this.sessions.delete(row.id);
        await current.session.stop(false);
      }
      return;
    }
    if (current && !current.session.closed && current.version === row.updated_at) return;
    if (current) {
      this.sessions.delete(row.id);
      await current.session.stop();
    }
    const session = new ImapSession(this.ctx, row, runtime, this.holder, this.pollMs, (err) => {
      if (err) this.ctx.log.warn({ err, channelId: row.id }, 'imap connection closed');
    });
    this.sessions.set(row.id, { session, version: row.updated_at });
    try {
      await session.start();
    } catch (err) {
      this.ctx.log.warn({ err, channelId: row.id }, 'imap connection failed');
      await session.stop(false);
    }
  }

  /** Runs a check now on every mailbox this node holds (tests, and after a send that may have bounced). */
  async syncAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.session.sync()));
  }

  /** A clean stop: connections closed and leases given back, so another node takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
    for (const [id, s] of this.sessions) {
      await s.session.stop();
      await releaseLease(this.ctx, id, this.holder);
    }
    this.sessions.clear();
  }

  /** What a node that dies leaves behind: connections cut, leases kept until they expire. */
  async abandon(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const s of this.sessions.values()) await s.session.stop(false);
    this.sessions.clear();
  }
}
