import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The verification snippets exactly as the README prints them, for tests: a receiver's code copied
 * from the README must accept our deliveries, so the README cannot drift from the signing code.
 */
function snippet(marker: string): string {
  const readme = readFileSync(new URL('../../../../../README.md', import.meta.url), 'utf8');
  const at = readme.indexOf(`<!-- ${marker} -->`);
  if (at < 0) throw new Error(`README has no ${marker} block`);
  const m = /```[a-z]+\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!m) throw new Error(`README ${marker} block has no code`);
  return m[1]!;
}

export type NodeVerifier = (
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  toleranceSeconds?: number,
) => boolean;

export async function readmeNodeVerifier(): Promise<NodeVerifier> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-readme-'));
  const file = join(dir, 'verify.mjs');
  writeFileSync(file, snippet('webhook-verify-node'));
  const mod = (await import(pathToFileURL(file).href)) as { verifySwitchboardWebhook: NodeVerifier };
  return mod.verifySwitchboardWebhook;
}

/** Runs the README's Python function in python3; undefined when python3 is not installed. */
export function readmePythonVerify(
  secret: string,
  headers: Record<string, string>,
  rawBody: string,
): boolean | undefined {
  const driver = `${snippet('webhook-verify-python')}
import json, sys
d = json.load(sys.stdin)
print("ok" if verify_switchboard_webhook(d["secret"], d["headers"], d["body"].encode()) else "bad")
`;
  try {
    const out = execFileSync('python3', ['-c', driver], {
      input: JSON.stringify({ secret, headers, body: rawBody }),
      encoding: 'utf8',
    });
    return out.trim() === 'ok';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
