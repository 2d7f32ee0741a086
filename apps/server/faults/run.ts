import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { testDialects } from '../test/test-db.ts';
import type { ScenarioReport } from './lib/report.ts';
import { type Size, plan } from './scenarios/index.ts';

/**
 * `npm run test:faults [-- [--short] [scenario ids...]]`: runs the fault-injection scenarios against real
 * server processes and prints, for each, what was sent, the fault, what was stored and delivered, and
 * the verdict. Exits 1 when any scenario fails. A complete full run also writes faults/results/latest-full.json.
 */
const args = process.argv.slice(2);
const size: Size = args.includes('--short') ? 'short' : 'full';
const only = new Set(args.filter((a) => /^\d+$/.test(a)));
const dialects = await testDialects();
const scenarios = plan(size, dialects).filter((s) => only.size === 0 || only.has(s.id));

const cpu = cpus();
const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${process.platform}`;
console.log(`Fault injection (${size}) on ${machine}`);
console.log(
  `Databases: ${dialects.join(', ')}; scenarios: ${scenarios.map((s) => `${s.id} ${s.label}`).join('; ')}\n`,
);

const reports: ScenarioReport[] = [];
const started = Date.now();
for (const s of scenarios) {
  const report = await s.run();
  reports.push(report);
  console.log(`${report.format()}\n`);
}

const count = (v: string) => reports.filter((r) => r.verdict === v).length;
const summary = `${count('PASS')} passed, ${count('FAIL')} failed${count('SKIP') ? `, ${count('SKIP')} skipped` : ''} in ${((Date.now() - started) / 1000).toFixed(0)} s`;
console.log(summary);

// Only a complete full run replaces the recorded figures (docs/faults.md quotes them).
if (size === 'full' && only.size === 0) {
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest-full.json');
  writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), size, machine, summary, reports }, null, 2)}\n`,
  );
  // In the repository's own format, so `biome check .` stays clean after a run.
  spawnSync(join(import.meta.dirname, '../../../node_modules/.bin/biome'), ['format', '--write', file], {
    stdio: 'ignore',
  });
}
process.exit(count('FAIL') > 0 ? 1 : 0);
