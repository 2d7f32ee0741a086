import { afterAll, beforeEach, describe } from 'vitest';
import { redisReachable } from '../../../test/node-services.ts';
import {
  createTestDatabase,
  type TestDatabase,
  TEST_REDIS_URL,
  testDialects,
} from '../../../test/test-db.ts';
import { randomToken } from '../crypto/ids.ts';
import { loginThrottleContract } from './login-throttle.contract.ts';
import { RedisLoginThrottle } from './redis-login-throttle.ts';
import { SqlLoginThrottle } from './sql-login-throttle.ts';

for (const dialect of await testDialects()) {
  describe(`SqlLoginThrottle (${dialect})`, () => {
    const dbs: TestDatabase[] = [];
    let current: TestDatabase | undefined;
    // A fresh database per test; a second throttle in the same test opens another pool on it (a second node).
    beforeEach(() => {
      current = undefined;
    });
    afterAll(async () => {
      for (const d of dbs) await d.drop();
    });
    loginThrottleContract(`SQL ${dialect}`, async (clock) => {
      if (!current) {
        current = await createTestDatabase(dialect);
        dbs.push(current);
        return new SqlLoginThrottle(current.db, clock);
      }
      return new SqlLoginThrottle(current.openAnother(), clock);
    });
  });
}

describe.skipIf(!(await redisReachable()))('RedisLoginThrottle', () => {
  const run = `sbtest:throttle:${randomToken(6)}:`;
  let testNo = 0;
  let prefix = '';
  beforeEach(() => {
    prefix = `${run}${testNo++}:`;
  });
  loginThrottleContract('Redis', (clock) => RedisLoginThrottle.connect(TEST_REDIS_URL, prefix, clock));
});
