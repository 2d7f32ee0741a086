// Builds the site widget when dist/widget.js is missing or older than its sources, so `npm start` and
// `npm test` on a fresh clone serve and drive the current widget.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'widget.js');

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

const sources = ['src', 'vite.config.ts', 'package.json', 'tsconfig.json'].map((p) => join(root, p));
const stale = !existsSync(built) || sources.some((p) => existsSync(p) && newest(p) > statSync(built).mtimeMs);
if (stale) {
  console.log('Building the site widget (apps/widget)…');
  const r = spawnSync('npm', ['run', 'build', '-w', 'apps/widget'], {
    cwd: join(root, '..', '..'),
    stdio: 'inherit',
    // Test runners set NODE_ENV=test; the bundle is always the production one.
    env: { ...process.env, NODE_ENV: 'production' },
    shell: process.platform === 'win32',
  });
  process.exit(r.status ?? 1);
}
