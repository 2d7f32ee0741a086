import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CHROMIUM } from '../../../../test/console-harness.ts';
import { WIDGET_DIST } from './widget-script.routes.ts';

/** Rebuilds apps/widget when its sources are newer than the build, so the browser runs current code. */
export function ensureWidgetBuilt(): void {
  const script = join(import.meta.dirname, '../../../../../widget/scripts/ensure-built.mjs');
  const r = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('Building the widget (apps/widget) failed');
}

if (existsSync(CHROMIUM)) ensureWidgetBuilt();
export const runnable = existsSync(CHROMIUM) && existsSync(join(WIDGET_DIST, 'widget.js'));
if (!runnable && process.env.CI)
  throw new Error(`Widget browser tests need ${CHROMIUM} and a built apps/widget`);

/**
 * The business's site, on another origin than Switchboard, with the hostile CSS a real site may have:
 * everything it can target is restyled or hidden, which must not reach the widget.
 */
export function hostPage(serverUrl: string, channelId: string, lang: string, attrs = ''): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Shop</title>
<style>
  * { font-size: 40px !important; color: red !important; background: yellow !important;
      font-family: "Comic Sans MS", cursive !important; line-height: 3 !important; }
  button { width: 300px !important; height: 10px !important; border: 10px solid lime !important;
           border-radius: 0 !important; display: none !important; }
  div, span, textarea, img { display: none !important; }
  switchboard-chat { display: none !important; transform: translateX(-9999px) !important; }
</style></head>
<body><h1>Shop</h1>
<script src="${serverUrl}/widget.js" data-channel="${channelId}" data-lang="${lang}"${attrs} async></script>
</body></html>`;
}

export async function startHostSite(page: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/favicon.ico') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  // "localhost" vs Switchboard's "127.0.0.1", and another port: a different origin on both counts.
  return {
    url: `http://localhost:${port}/products/42?secret=reset-token`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
