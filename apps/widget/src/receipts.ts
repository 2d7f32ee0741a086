import type { VisitorApi } from './api.ts';

/**
 * Delivered and read receipts of operator messages, each reported once: a failed report is forgotten
 * (so it is sent again later), replies the server has not recorded as sent yet are asked for again.
 */
export class Receipts {
  private readonly reported = { delivered: new Set<string>(), read: new Set<string>() };

  constructor(private readonly api: VisitorApi) {}

  has(status: 'delivered' | 'read', id: string): boolean {
    return this.reported[status].has(id);
  }

  /** Marks as reported without sending (an operator message that came over the socket was acked there). */
  note(status: 'delivered' | 'read', id: string): void {
    this.reported[status].add(id);
  }

  send(status: 'delivered' | 'read', ids: string[], attempt = 0): void {
    for (const id of ids) this.reported[status].add(id);
    this.api.receipts(status, ids.slice(0, 200)).then(
      (r) => {
        // Replies whose sending was not recorded yet: ask again shortly.
        if (r.pending.length > 0 && attempt < 3) {
          setTimeout(() => this.send(status, r.pending, attempt + 1), 2000 * (attempt + 1));
        }
      },
      () => {
        for (const id of ids) this.reported[status].delete(id);
      },
    );
  }

  /** Another visitor or a new session: everything is reported again. */
  clear(): void {
    this.reported.delivered.clear();
    this.reported.read.clear();
  }
}
