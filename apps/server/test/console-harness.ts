import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { type RuntimeContext, createContext } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { WEB_DIST } from '../src/http/console.routes.ts';
import { createAccountWithAdmin } from '../src/modules/accounts/account.service.ts';
import { signApiBody } from '../src/modules/channels/api/api-signature.ts';
import { newId } from '../src/infra/crypto/ids.ts';
import { type RunningNode, startNode } from '../src/node.ts';
import type { WhatsAppSandbox } from '../src/sandbox/whatsapp-sandbox.ts';

/** Debian's Chromium (installed by .ci/run with apt); Playwright never downloads a browser here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const consoleBuilt = () => existsSync(join(WEB_DIST, 'index.html'));

/** Rebuilds apps/web when its sources are newer than the build, so the browser drives current code. */
export function ensureConsoleBuilt(): void {
  const script = join(import.meta.dirname, '../../web/scripts/ensure-built.mjs');
  const r = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('Building the console (apps/web) failed');
}

/**
 * Builds the console when Chromium is there and tells whether a browser suite can run: without the
 * browser a suite is skipped visibly on a developer's machine, and fails in CI.
 */
export function consoleSuiteRunnable(): boolean {
  if (existsSync(CHROMIUM)) ensureConsoleBuilt();
  const runnable = existsSync(CHROMIUM) && consoleBuilt();
  if (!runnable && process.env.CI)
    throw new Error(`Console browser tests need ${CHROMIUM} and a built apps/web`);
  return runnable;
}

/** Names that stay as they are in Russian text: the product, a language's own name, keys, protocols, brands. */
const LATIN_NAMES = [
  'Switchboard',
  'English',
  'Enter',
  'Shift',
  'API',
  'POST',
  'X-Switchboard-Signature',
  'WhatsApp',
  'Telegram',
  'Twilio',
  'Meta',
  'Facebook',
  'Messenger',
  'Instagram',
];

/** Latin words left in Russian UI text once the account's own data (names, channel names) is taken out. */
export function untranslatedWords(text: string, data: string[], allowed: string[] = []): string[] {
  let rest = text;
  for (const d of [...data].sort((a, b) => b.length - a.length)) rest = rest.split(d).join(' ');
  const ok = new Set([...LATIN_NAMES, ...allowed]);
  return (rest.match(/[A-Za-z][A-Za-z-]+/g) ?? []).map((w) => w.replace(/-+$/, '')).filter((w) => !ok.has(w));
}

/** Visible controls without an accessible name (not counting what is hidden from assistive technology). */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('button, a[href], input, textarea, select, [role=button], [role=option]')]
      .filter((el) => (el as HTMLElement).checkVisibility() && !el.closest('[aria-hidden=true]'))
      .filter((el) => {
        if ((el as HTMLInputElement).type === 'hidden') return false;
        const labelled = el.getAttribute('aria-labelledby');
        const byLabel = el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
        const name =
          el.getAttribute('aria-label') ||
          (labelled && document.getElementById(labelled)?.textContent) ||
          (byLabel || null)?.textContent ||
          el.closest('label')?.textContent ||
          el.getAttribute('title') ||
          // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the name a reader hears
          (el as HTMLElement).innerText;
        return !name?.trim();
      })
      .map((el) => el.outerHTML.slice(0, 160)),
  );
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A real `switchboard start` (HTTP, socket gateway, worker) on SQLite on a free port, in this process. */
export interface ConsoleServer {
  url: string;
  node: RunningNode;
  /** The server's own context, for fixtures too large to send through the API (long histories). */
  ctx: RuntimeContext;
  admin: { email: string; password: string; name: string };
  /** fetch with a signed-in session's cookie and CSRF token. */
  session(email: string, password: string): Promise<ApiSession>;
  close(): Promise<void>;
}

export interface ApiSession {
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }>;
}

/** `env` overrides the test configuration (e.g. PORT with PUBLIC_URL, MEDIA_MAX_BYTES). */
export async function startConsoleServer(env: Record<string, string> = {}): Promise<ConsoleServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-console-'));
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'switchboard.db')}`,
    DATA_DIR: dir,
    SWITCHBOARD_SECRET: 'console-test-secret-console-test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    WORKER_POLL_MS: '100',
    LOGIN_RATE_LIMIT: '1000',
    // Sandboxes and callback receivers listen on loopback.
    ALLOW_PRIVATE_URLS: '127.0.0.1,localhost,::1',
    LOGIN_RATE_LIMIT_PER_IP: '5000',
    ...env,
  });
  const ctx = await createContext(config, { migrate: true });
  const node = await startNode(ctx, { http: true, worker: true });
  const url = `http://127.0.0.1:${node.port}`;
  const admin = { email: 'alice@example.com', password: 'alice-password-1', name: 'Alice Admin' };
  await createAccountWithAdmin(ctx, {
    accountName: 'Acme Support',
    email: admin.email,
    password: admin.password,
    name: admin.name,
  });

  async function session(email: string, password: string): Promise<ApiSession> {
    await adoptPassword(url, email, password);
    const { cookie, csrfToken } = await apiLogin(url, email, password);
    return {
      async call(method, path, body) {
        const r = await fetch(`${url}${path}`, {
          method,
          headers: {
            cookie,
            'x-csrf-token': csrfToken,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await r.text();
        return { status: r.status, json: (text ? JSON.parse(text) : null) as never };
      },
    };
  }

  return {
    url,
    node,
    ctx,
    admin,
    session,
    async close() {
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let seq = 0;

/** The customer's side of the API channel: a signed inbound webhook, as the business's system sends it. */
export async function postInbound(
  server: ConsoleServer,
  channel: { id: string; secret: string },
  contact: { externalId: string; name: string },
  text: string,
): Promise<void> {
  seq++;
  const body = JSON.stringify({
    eventId: `evt-${Date.now()}-${seq}`,
    contact,
    message: { externalId: `msg-${Date.now()}-${seq}`, text },
  });
  const res = await fetch(`${server.url}/webhooks/api/${channel.id}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-switchboard-signature': signApiBody(channel.secret, body),
    },
    body,
  });
  if (res.status !== 200) throw new Error(`inbound: ${res.status} ${await res.text()}`);
}

async function apiLogin(
  url: string,
  email: string,
  password: string,
): Promise<{ cookie: string; csrfToken: string; passwordChangeRequired: boolean }> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const me = (await res.json()) as { csrfToken: string; passwordChangeRequired: boolean };
  return { cookie, csrfToken: me.csrfToken, passwordChangeRequired: me.passwordChangeRequired };
}

/**
 * A user an admin created carries a temporary password that must be changed at first sign-in. Suites
 * that are not about that act as the person who then chooses the same text as their own: changed away
 * and back through the real route (suites about the forced change sign in through the page instead).
 */
async function adoptPassword(url: string, email: string, password: string): Promise<void> {
  const first = await apiLogin(url, email, password);
  if (!first.passwordChangeRequired) return;
  const change = async (currentPassword: string, newPassword: string) => {
    const r = await fetch(`${url}/api/v1/me/password`, {
      method: 'POST',
      headers: { cookie: first.cookie, 'x-csrf-token': first.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ currentPassword, newPassword }),
    });
    if (r.status !== 204) throw new Error(`password change ${email}: ${r.status} ${await r.text()}`);
  };
  await change(password, `${password} interim`);
  await change(`${password} interim`, password);
}

/** Signs in through the login page, as an operator would (a temporary password is adopted first). */
export async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await adoptPassword(url, email, password);
  await page.goto(`${url}/`);
  await page.locator('input[type=email]').fill(email);
  await page.locator('input[type=password]').fill(password);
  await page.locator('form button[type=submit]').click();
  await page
    .locator('[data-testid=live-status][data-status=live]')
    .waitFor({ timeout: 15_000 })
    .catch(async (err) => {
      throw new Error(`${(err as Error).message}\nPage: ${await page.locator('body').textContent()}`);
    });
}

/** A page that fails the test on any script error or alert (an executed XSS payload would alert). */
export function watchPage(page: Page, problems: string[]): Page {
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
  return page;
}

/**
 * Screenshots go to docs/screenshots when SWITCHBOARD_SCREENSHOTS=1 (to refresh the README's
 * pictures), otherwise to a temporary folder so a test run leaves the work tree clean.
 */
export function screenshotDir(): string {
  if (process.env.SWITCHBOARD_SCREENSHOTS === '1') {
    const dir = join(import.meta.dirname, '../../../docs/screenshots');
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  return mkdtempSync(join(tmpdir(), 'sb-screens-'));
}

export async function newOperatorContext(
  browser: Browser,
  opts: { width?: number; height?: number; lang?: 'en' | 'ru' } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    locale: opts.lang === 'ru' ? 'ru-RU' : 'en-GB',
    timezoneId: 'Europe/Berlin',
  });
  // The console remembers the language per browser; start each context in a known one.
  await context.addInitScript((lang) => {
    if (!window.localStorage.getItem('switchboard.lang'))
      window.localStorage.setItem('switchboard.lang', lang);
  }, opts.lang ?? 'en');
  return context;
}

/**
 * Adds `count` older text messages to a conversation, straight into the database (the API would
 * need minutes for thousands), so paging and virtualisation can be driven in the browser.
 */
export async function seedHistory(
  server: ConsoleServer,
  conversationId: string,
  count: number,
): Promise<void> {
  const k = server.ctx.db.kysely;
  const conv = await k
    .selectFrom('conversations')
    .select(['account_id', 'channel_id', 'created_at'])
    .where('id', '=', conversationId)
    .executeTakeFirstOrThrow();
  const start = conv.created_at - count * 60_000;
  const rows = Array.from({ length: count }, (_, i) => {
    const at = start + i * 60_000;
    return {
      id: newId(at),
      account_id: conv.account_id,
      conversation_id: conversationId,
      channel_id: conv.channel_id,
      direction: i % 2 ? 'out' : 'in',
      author_kind: i % 2 ? 'user' : 'contact',
      author_id: null,
      content_kind: 'text',
      body: `History message ${String(i + 1).padStart(4, '0')}`,
      private: 0,
      provider_message_id: `hist-${i}`,
      client_message_id: null,
      delivery_status: i % 2 ? 'delivered' : null,
      error_code: null,
      error_message: null,
      provider_ts: at,
      meta: '{}',
      created_at: at,
      updated_at: at,
    };
  });
  for (let i = 0; i < rows.length; i += 400)
    await k
      .insertInto('messages')
      .values(rows.slice(i, i + 400))
      .execute();
}

/**
 * A WhatsApp channel on a new number of the local Graph sandbox, created through the API as an admin
 * would, and the sandbox's webhook pointed at it (Meta's verify handshake included).
 */
export async function connectWhatsApp(
  admin: ApiSession,
  wa: WhatsAppSandbox,
  name = 'WhatsApp shop',
): Promise<{ channelId: string; phoneNumberId: string }> {
  const number = wa.createNumber();
  const ch = await admin.call<{ id: string; connection: { webhookUrl: string; verifyToken: string } }>(
    'POST',
    '/api/v1/channels',
    {
      type: 'whatsapp',
      name,
      settings: {
        phoneNumberId: number.phoneNumberId,
        accessToken: number.accessToken,
        appSecret: number.appSecret,
        apiBaseUrl: wa.url,
      },
    },
  );
  if (ch.status !== 201) throw new Error(`creating the WhatsApp channel answered ${ch.status}`);
  const { webhookUrl, verifyToken } = ch.json.connection;
  if (!(await wa.subscribe(number.phoneNumberId, webhookUrl, verifyToken)))
    throw new Error('the WhatsApp sandbox refused the webhook subscription');
  return { channelId: ch.json.id, phoneNumberId: number.phoneNumberId };
}
