import pino from 'pino';
import { prettyDestination } from './pretty-log.ts';

export type Logger = pino.Logger;

/** `auto`: readable lines when standard output is a terminal, JSON (for log collectors) otherwise. */
export type LogFormat = 'auto' | 'pretty' | 'json';

export function createLogger(level: string, format: LogFormat = 'auto'): Logger {
  const opts = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  return pretty ? pino(opts, prettyDestination()) : pino(opts);
}
