// Whether apps/server/dist is older than the sources it was compiled from. Used by the `switchboard`
// command (to run the sources through tsx instead of a stale build) and by ensure-built.mjs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const serverRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const builtMarker = join(serverRoot, 'dist', 'BUILT');

function newestSource(dir) {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) max = Math.max(max, newestSource(path));
    // Tests are not in the build; editing one must not make the build look stale.
    else if (!entry.name.endsWith('.test.ts')) max = Math.max(max, statSync(path).mtimeMs);
  }
  return max;
}

/** True when dist/ exists and no source, shared source or build script changed after it was built. */
export function serverBuildIsFresh() {
  if (!existsSync(builtMarker)) return false;
  const built = statSync(builtMarker).mtimeMs;
  const roots = [join(serverRoot, 'src'), join(serverRoot, '..', '..', 'packages', 'shared', 'src')];
  const files = [join(serverRoot, 'scripts', 'build.mjs'), join(serverRoot, 'package.json')];
  return roots.every((r) => newestSource(r) <= built) && files.every((f) => statSync(f).mtimeMs <= built);
}
