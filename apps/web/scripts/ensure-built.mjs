// Builds the console when dist/ is missing or older than its sources, so `npm install && npm start`
// on a fresh clone serves it, and `npm test` drives the current code in the browser tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'index.html');

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

const sources = [
  'src',
  'index.html',
  'vite.config.ts',
  'package.json',
  'tsconfig.json',
  '../../packages/shared/src',
].map((p) => join(root, p));
// Lets a developer test against a build made by hand (e.g. `npx vite build` while another change's
// types are half done) without this script rebuilding over it.
const keep = process.env.SWITCHBOARD_KEEP_WEB_BUILD === '1' && existsSync(built);
const stale =
  !keep && (!existsSync(built) || sources.some((p) => existsSync(p) && newest(p) > statSync(built).mtimeMs));
const require = createRequire(join(root, 'package.json'));
let haveVite = true;
try {
  require.resolve('vite');
} catch {
  haveVite = false;
}
if (stale && !haveVite) {
  // An install without dev dependencies (--omit=dev) cannot build; it must not fail because of it.
  console.warn(
    existsSync(built)
      ? 'apps/web: sources are newer than the build, but Vite is not installed; serving the existing build.'
      : 'apps/web: Vite is not installed (dev dependencies omitted); the console is not built.',
  );
} else if (stale) {
  console.log('Building the operator console (apps/web)…');
  const r = spawnSync('npm', ['run', 'build', '-w', 'apps/web'], {
    cwd: join(root, '..', '..'),
    stdio: 'inherit',
    // Test runners set NODE_ENV=test, which would make Vite bundle React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
    shell: process.platform === 'win32',
  });
  process.exit(r.status ?? 1);
}
