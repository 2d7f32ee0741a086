import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  fn: string;
  ms: number;
  share: number;
}

/**
 * Self time per function of the `.cpuprofile` files `node --cpu-prof` wrote into a folder (one per
 * process), summed over them, heaviest first. Frames are named by function and file (without the
 * folders up to node_modules or src), so the same function in two processes adds up.
 */
export function selfTimes(dir: string, top = 25): { totalMs: number; idleMs: number; top: SelfTime[] } {
  const byFn = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    for (const [i, id] of p.samples.entries()) {
      const ms = (p.timeDeltas[i] ?? 0) / 1000;
      const f = nodes.get(id)!.callFrame;
      const name = `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
      totalMs += ms;
      if (f.functionName === '(idle)') idleMs += ms;
      byFn.set(name, (byFn.get(name) ?? 0) + ms);
    }
  }
  const busy = totalMs - idleMs;
  const list = [...byFn.entries()]
    .filter(([fn]) => !fn.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([fn, ms]) => ({ fn, ms: Math.round(ms), share: Math.round((ms / busy) * 1000) / 1000 }));
  return { totalMs: Math.round(totalMs), idleMs: Math.round(idleMs), top: list };
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const src = url.lastIndexOf('/src/');
  if (src >= 0) return url.slice(src + 1);
  return url.replace(/^file:\/\//, '');
}
