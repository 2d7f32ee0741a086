import { describe, expect, it } from 'vitest';
import { testDialects } from '../test/test-db.ts';
import { plan } from './scenarios/index.ts';

// The CI form of `npm run test:faults`: scenarios 1, 2 and 5 at small scale, real server processes.
const scenarios = plan('short', await testDialects());

describe('fault injection (short form)', () => {
  it.each(scenarios.map((s) => [`${s.id}. ${s.label}`, s] as const))(
    '%s',
    async (_name, scenario) => {
      const report = await scenario.run();
      console.info(report.format());
      expect(report.verdict, report.format()).toBe('PASS');
    },
    // Real server processes on a loaded 2-core CI machine: minutes, not seconds.
    180_000,
  );
});
