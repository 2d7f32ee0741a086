#!/usr/bin/env node
// Runs the compiled server (dist/, made by `npm install`/`npm start` through scripts/ensure-built.mjs)
// when it is current; otherwise — a source edited since, or SWITCHBOARD_FROM_SOURCE=1 — the TypeScript
// sources through tsx, so a developer never runs stale code and a fresh clone needs no build step.
import { serverBuildIsFresh } from '../scripts/build-freshness.mjs';

if (process.env.SWITCHBOARD_FROM_SOURCE !== '1' && serverBuildIsFresh()) {
  await import('../dist/main.mjs');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
