import vm from 'node:vm';

/**
 * Regular expressions written by admins run on customers' text, so a pattern with catastrophic
 * backtracking (`(a+)+$`) must not stall a worker. JavaScript offers no regex timeout, and the linear
 * engines (re2, V8's experimental one) need a native module or a process flag; instead each test runs
 * as a script in one reused VM context with `timeout`: V8's watchdog interrupts a running regex, so the
 * cost is bounded (TIME_LIMIT_MS of this thread's time at worst). The text is also cut to MAX_INPUT, and
 * the pattern is limited in length when the rule is saved. A worker thread per test would isolate more
 * but costs milliseconds per message; a VM script costs about 0.1 ms.
 */
export const TIME_LIMIT_MS = 50;
export const MAX_INPUT = 10_000;

const context = vm.createContext(Object.create(null) as object);
const script = new vm.Script('re.test(s)');
const compiled = new Map<string, RegExp>();

export type RegexOutcome = 'match' | 'no_match' | 'timeout';

function compile(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'iu');
    // A small cache: rules are few, patterns repeat on every message.
    if (compiled.size > 500) compiled.clear();
    compiled.set(pattern, re);
  }
  re.lastIndex = 0;
  return re;
}

export function testRegex(pattern: string, text: string, timeoutMs = TIME_LIMIT_MS): RegexOutcome {
  const c = context as { re?: RegExp; s?: string };
  c.re = compile(pattern);
  c.s = text.slice(0, MAX_INPUT);
  try {
    return script.runInContext(context, { timeout: timeoutMs }) === true ? 'match' : 'no_match';
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timeout';
    throw err;
  } finally {
    c.re = undefined;
    c.s = undefined;
  }
}
