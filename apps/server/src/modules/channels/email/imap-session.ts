import type { ImapFlow } from 'imapflow';
import type { AppContext } from '../../../app-context.ts';
import type { Row } from '../../../infra/db/schema.ts';
import type { ChannelRuntime } from '../channel-adapter.ts';
import { ingestMail } from './email-ingest.ts';
import { parseMime } from './email-mime.ts';
import { emailSettingsOf } from './email-settings.ts';
import { imapClient, mailHostAddress } from './mail-connection.ts';
import { mailboxState, saveProgress } from './imap-lease.ts';

/**
 * The IMAP connection of one channel, held by this node while it has the channel's lease. New mail is
 * noticed by IDLE (imapflow starts it when the connection is quiet; servers without IDLE are polled
 * with NOOP) and by a periodic check. Mail is read by UID from where the channel got to
 * `(uidValidity, lastUid)`; when UIDVALIDITY changed, the whole mailbox is read again and mails already
 * held are skipped by Message-ID (or content hash). A processed mail is flagged \Seen.
 */
export class ImapSession {
  private client: ImapFlow | null = null;
  private syncing: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  closed = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly row: Row<'channels'>,
    private readonly channel: ChannelRuntime,
    private readonly holder: string,
    private readonly pollMs: number,
    private readonly onClosed: (err?: Error) => void,
  ) {}

  get mailbox(): string {
    return emailSettingsOf(this.channel.settings).imap?.mailbox ?? 'INBOX';
  }

  async start(): Promise<void> {
    const s = emailSettingsOf(this.channel.settings).imap!;
    const client = imapClient(this.channel, await mailHostAddress(this.ctx, 'imap', s.host));
    this.client = client;
    client.on('error', (err: Error) => this.end(err));
    client.on('close', () => this.end());
    client.on('exists', () => this.sync());
    await client.connect();
    await client.mailboxOpen(this.mailbox);
    await this.sync();
    this.timer = setInterval(() => this.sync(), this.pollMs);
    this.timer.unref();
  }

  /** Runs a pass now, or once more after the one in progress. */
  sync(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again && !this.closed);
      } catch (err) {
        await saveProgress(this.ctx, this.row.id, this.holder, { last_error: (err as Error).message }).catch(
          () => {},
        );
        this.end(err as Error);
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  }

  private async pass(): Promise<void> {
    const client = this.client;
    if (!client || this.closed) return;
    const box = client.mailbox;
    if (!box) throw new Error('mailbox is not open');
    const validity = String(box.uidValidity);
    // Every mail below this UID existed when the pass began (a new one gets a UID at or above it).
    const seenUpTo = Number(box.uidNext) - 1;
    const state = await mailboxState(this.ctx, this.row.id);
    if (!state || state.holder !== this.holder) throw new Error('lease lost');
    let lastUid = Number(state.last_uid);
    let uids: number[];
    if (state.uid_validity === null) {
      // A new channel starts with the mail nobody has read yet, not the mailbox's whole history.
      uids = ((await client.search({ seen: false }, { uid: true })) || []) as number[];
      lastUid = 0;
    } else if (state.uid_validity !== validity) {
      // Every UID changed meaning: read everything again; mails already held are skipped by their key.
      uids = ((await client.search({ all: true }, { uid: true })) || []) as number[];
      lastUid = 0;
    } else {
      uids = ((await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || []) as number[];
    }
    if (state.uid_validity !== validity)
      await saveProgress(this.ctx, this.row.id, this.holder, { uid_validity: validity, last_uid: 0 });
    for (const uid of uids.filter((u) => u > lastUid).sort((a, b) => a - b)) {
      if (this.closed) return;
      const msg = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      const source = msg === false ? undefined : msg.source;
      if (source) {
        const mail = await parseMime(source, 'imap');
        await ingestMail(this.ctx, this.row, mail);
        await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      }
      if (!(await saveProgress(this.ctx, this.row.id, this.holder, { last_uid: uid, last_error: null })))
        throw new Error('lease lost');
    }
    if (state.uid_validity === null && seenUpTo > 0) {
      const now = await mailboxState(this.ctx, this.row.id);
      if (now && Number(now.last_uid) < seenUpTo)
        await saveProgress(this.ctx, this.row.id, this.holder, { last_uid: seenUpTo });
    }
  }

  private end(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.client?.close();
    this.onClosed(err);
  }

  /** Closes the connection (after the pass in progress, when `graceful`). */
  async stop(graceful = true): Promise<void> {
    if (graceful && this.syncing) await this.syncing.catch(() => {});
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    const client = this.client;
    if (!client) return;
    if (graceful) await client.logout().catch(() => client.close());
    else client.close();
  }
}
