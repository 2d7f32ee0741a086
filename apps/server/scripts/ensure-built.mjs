// Compiles the server into dist/ when it is missing or older than its sources, so `npm install &&
// npm start` starts from JavaScript (no TypeScript compilation at boot) and `npm test` drives current code.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { serverBuildIsFresh, serverRoot } from './build-freshness.mjs';

if (process.env.SWITCHBOARD_FROM_SOURCE !== '1' && !serverBuildIsFresh()) {
  const r = spawnSync(process.execPath, [join(serverRoot, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
