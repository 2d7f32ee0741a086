import { ApiError, VisitorApi } from './api.ts';
import { Chat } from './chat.ts';
import { STRINGS, pickLanguage } from './i18n.ts';
import type { Identity } from './types.ts';
import { WidgetView } from './ui/view.ts';

/**
 * Entry of /widget.js:
 *   <script src="https://<switchboard>/widget.js" data-channel="<channel id>" async></script>
 * Optional attributes: data-lang (en|ru), and for signed-in users of the site data-user-id +
 * data-user-hash (hex HMAC-SHA256 of the id with the channel's identity secret, computed by the site's
 * backend), data-user-name, data-user-email. The page may also call window.Switchboard.open(), .close(),
 * .identify({id, hash, name, email}) and .reset(); calls made before the script loaded can be queued as
 * `(window.Switchboard = window.Switchboard || []).push(['identify', {...}])`.
 */

type Call = [string, ...unknown[]];

interface PublicApi {
  open(): void;
  close(): void;
  toggle(): void;
  identify(identity: Identity): Promise<void>;
  reset(): Promise<void>;
}

const w = window as unknown as {
  Switchboard?: PublicApi | Call[];
  __switchboardWidget?: boolean;
};

function log(message: string, err?: unknown): void {
  console.warn(`[Switchboard widget] ${message}`, err ?? '');
}

function identityFrom(d: DOMStringMap): Identity | undefined {
  if (!d.userId) return undefined;
  if (!d.userHash) {
    log('data-user-id needs data-user-hash (HMAC-SHA256 of the id, computed by your backend)');
    return undefined;
  }
  return { id: d.userId, hash: d.userHash, name: d.userName, email: d.userEmail };
}

async function boot(script: HTMLScriptElement): Promise<void> {
  const d = script.dataset;
  const channelId = d.channel;
  if (!channelId) return log('the script tag has no data-channel');
  const base = new URL(script.src, location.href).origin;
  const lang = pickLanguage(d.lang, navigator.languages ?? [navigator.language]);
  const queued = Array.isArray(w.Switchboard) ? w.Switchboard : [];

  let chat: Chat | undefined;
  let startIdentity = identityFrom(d);
  let resolveReady: (c: Chat) => void = () => {};
  const ready = new Promise<Chat>((r) => {
    resolveReady = r;
  });

  async function start(): Promise<void> {
    const config = await new VisitorApi(base, channelId!).config();
    const c = new Chat(base, channelId!, config, lang);
    await c.start(startIdentity);
    const view = new WidgetView(c, STRINGS[lang]);
    document.body.appendChild(view.host);
    chat = c;
    resolveReady(c);
    window.dispatchEvent(new CustomEvent('switchboard:ready'));
  }

  const api: PublicApi = {
    open: () => void ready.then((c) => c.setOpen(true)),
    close: () => void ready.then((c) => c.setOpen(false)),
    toggle: () => void ready.then((c) => c.setOpen(!c.state.open)),
    async identify(identity) {
      if (chat) return chat.identify(identity);
      // Not started yet (e.g. a chat for signed-in users only): start as this user.
      startIdentity = identity;
      await start();
    },
    reset: async () => (await ready).reset(),
  };
  w.Switchboard = api;

  try {
    await start();
  } catch (err) {
    // Signed-in users only and nobody identified yet: wait for identify() (perhaps already queued).
    if (!(err instanceof ApiError && err.status === 401 && !startIdentity)) {
      return log('the chat could not start', err);
    }
  }
  for (const [name, ...args] of queued) {
    const fn = (api as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
    if (typeof fn === 'function') await Promise.resolve(fn(...args)).catch((e) => log(`${name} failed`, e));
  }
}

function main(): void {
  if (w.__switchboardWidget) return;
  w.__switchboardWidget = true;
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[data-channel][src*="widget.js"]');
  if (!script) {
    log('cannot find its own <script> tag');
    return;
  }
  const go = () => void boot(script).catch((err) => log('failed', err));
  if (document.body) go();
  else document.addEventListener('DOMContentLoaded', go, { once: true });
}

main();
