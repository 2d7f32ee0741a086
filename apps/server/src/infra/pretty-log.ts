import type { DestinationStream } from 'pino';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};
const COLORS: Record<number, string> = { 10: '90', 20: '90', 30: '32', 40: '33', 50: '31', 60: '35' };

const value = (v: unknown): string => {
  if (typeof v === 'string') return /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v);
};

/**
 * One pino JSON line as a person reads it on a terminal: `12:03:04 INFO  message key=value`, an error's
 * stack on the lines under it. Colours only where the terminal draws them.
 */
export function prettyLine(json: string, color: boolean): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const { level, time, msg, err, ...rest } = o;
  const n = typeof level === 'number' ? level : 30;
  const at = typeof time === 'string' ? time.slice(11, 19) : new Date().toISOString().slice(11, 19);
  const name = LEVELS[n] ?? String(level);
  const paint = (code: string | undefined, s: string) => (color && code ? `\x1b[${code}m${s}\x1b[0m` : s);
  const fields = Object.entries(rest).map(([k, v]) => `${paint('2', `${k}=`)}${value(v)}`);
  let line = `${paint('90', at)} ${paint(COLORS[n], name)} ${String(msg ?? '')}${fields.length ? ` ${fields.join(' ')}` : ''}\n`;
  if (err && typeof err === 'object') {
    const e = err as { message?: string; stack?: string };
    line += `${(e.stack ?? e.message ?? JSON.stringify(err))
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}\n`;
  }
  return line;
}

/** A pino destination that writes readable lines to `out` (a terminal) instead of JSON. */
export function prettyDestination(out: NodeJS.WriteStream = process.stdout): DestinationStream {
  const color = out.isTTY === true && !process.env.NO_COLOR;
  return { write: (chunk: string) => void out.write(prettyLine(chunk.trimEnd(), color)) };
}
