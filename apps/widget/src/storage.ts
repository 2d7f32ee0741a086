/**
 * The host page's localStorage under one namespaced key per channel, so the visitor stays the same
 * across reloads and pages of the site. Falls back to memory where storage is blocked (private modes,
 * sandboxed frames): the chat still works for the page's lifetime.
 */
export class WidgetStorage {
  private readonly memory = new Map<string, string>();

  constructor(private readonly channelId: string) {}

  private key(name: string): string {
    return `switchboard:widget:${this.channelId}:${name}`;
  }

  get(name: string): string | null {
    try {
      return window.localStorage.getItem(this.key(name));
    } catch {
      return this.memory.get(name) ?? null;
    }
  }

  set(name: string, value: string): void {
    this.memory.set(name, value);
    try {
      window.localStorage.setItem(this.key(name), value);
    } catch {}
  }

  remove(name: string): void {
    this.memory.delete(name);
    try {
      window.localStorage.removeItem(this.key(name));
    } catch {}
  }
}
