import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { broadcastBench } from './broadcast.bench.ts';
import { ingestBench } from './ingest.bench.ts';
import { ingestProfileBench } from './ingest-profile.bench.ts';
import { fanoutBench } from './fanout.bench.ts';
import { importBench } from './import.bench.ts';
import { footprintBench } from './footprint.bench.ts';
import { postgresAvailable } from './lib/databases.ts';
import { outboundBench } from './outbound.bench.ts';
import { readPathsBench } from './read-paths.bench.ts';
import { reportsBench } from './reports.bench.ts';

/**
 * `npm run bench [scenario...] [-- --dialect sqlite|postgres]`: runs the scenarios, prints a summary and
 * writes JSON results to apps/server/bench/results/. Figures are ratios to a baseline from the same run.
 */
const scenarios: Record<string, (dialect: 'sqlite' | 'postgres') => Promise<unknown>> = {
  ingest: ingestBench,
  'ingest-profile': ingestProfileBench,
  outbound: outboundBench,
  fanout: fanoutBench,
  'read-paths': readPathsBench,
  footprint: footprintBench,
  broadcast: broadcastBench,
  reports: reportsBench,
  import: importBench,
};

const names: string[] = [];
let dialectOpt: string | undefined;
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i]!;
  if (a === '--dialect') dialectOpt = process.argv[++i];
  else if (a !== '--') names.push(a);
}
if (dialectOpt && dialectOpt !== 'sqlite' && dialectOpt !== 'postgres')
  throw new Error('--dialect must be sqlite or postgres');
const dialects: ('sqlite' | 'postgres')[] = dialectOpt
  ? [dialectOpt as 'sqlite' | 'postgres']
  : (await postgresAvailable())
    ? ['sqlite', 'postgres']
    : ['sqlite'];
const chosen = names.length ? names : Object.keys(scenarios);
for (const n of chosen)
  if (!scenarios[n]) throw new Error(`unknown scenario "${n}"; known: ${Object.keys(scenarios).join(', ')}`);

const outDir = join(import.meta.dirname, 'results');
mkdirSync(outDir, { recursive: true });
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
for (const name of chosen) {
  for (const dialect of dialects) {
    const result = await scenarios[name]!(dialect);
    const file = join(outDir, `${name}-${dialect}.json`);
    writeFileSync(
      file,
      JSON.stringify({ machine, at: new Date().toISOString(), ...(result as object) }, null, 2),
    );
    console.log(`→ ${file}`);
    console.log(JSON.stringify(result, (k, v) => (k.endsWith('Steps') || k === 'steps' ? undefined : v), 2));
  }
}
process.exit(0);
