// `npm test`: typecheck, lint, then every Vitest suite; ends with the line "N passed, N failed[, N skipped]".
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const extraArgs = process.argv.slice(2);
const bin = (name) => join('node_modules', '.bin', name);
const run = (label, cmd, args, env = {}) => {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
};

/** Runs a check with its output held back, so checks running side by side print one after another. */
const runQuietly = (label, cmd, args) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { env: process.env });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('close', (code) => resolve({ label, ok: code === 0, output }));
    child.on('error', (err) => resolve({ label, ok: false, output: String(err) }));
  });

let passed = 0;
let failed = 0;
let skipped = 0;
const onlyTests = extraArgs.length > 0;
if (!onlyTests) {
  // The type checks and the linter are independent: two at a time keep both cores busy.
  const checks = [
    ['typecheck (server, shared)', bin('tsc'), ['-b']],
    // The console and the widget are bundled by Vite, which strips types without checking them.
    ['typecheck (console)', bin('tsc'), ['-p', 'apps/web/tsconfig.json']],
    ['typecheck (widget)', bin('tsc'), ['-p', 'apps/widget/tsconfig.json']],
    ['lint', bin('biome'), ['check', '.']],
  ];
  const results = [];
  let taken = 0;
  const lanes = Array.from({ length: 2 }, async () => {
    while (taken < checks.length) {
      const i = taken++;
      results[i] = await runQuietly(...checks[i]);
    }
  });
  await Promise.all(lanes);
  for (const { label, ok, output } of results) {
    console.log(`\n=== ${label} ===`);
    if (output) process.stdout.write(output);
    if (ok) passed++;
    else {
      failed++;
      console.log(`${label}: FAILED`);
    }
  }
}

const summaryFile = join(mkdtempSync(join(tmpdir(), 'sb-test-')), 'summary.json');
const ok = run('vitest', bin('vitest'), ['run', ...extraArgs], { SWITCHBOARD_SUMMARY_FILE: summaryFile });
if (existsSync(summaryFile)) {
  const s = JSON.parse(readFileSync(summaryFile, 'utf8'));
  passed += s.passed;
  failed += s.failed;
  skipped += s.skipped;
  if (!ok && s.failed === 0) failed++;
} else if (!ok) failed++;

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
