import { writeFileSync } from 'node:fs';
import { createContext } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { seedDataset } from './lib/seed-dataset.ts';
const [url, out] = process.argv.slice(2) as [string, string];
const ctx = await createContext(loadConfig({ DATABASE_URL: url, DATA_DIR: '/tmp/perf-search', SWITCHBOARD_SECRET: 'bench-secret-bench-secret-bench', LOG_LEVEL: 'warn' }), { migrate: true });
const data = await seedDataset(ctx, 100_000, 1_000_000);
writeFileSync(out, JSON.stringify(data));
await ctx.close();
