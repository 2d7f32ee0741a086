// Whether apps/server/dist is older than the sources it was compiled from. Used by the `switchboard`
// command (to run the sources through tsx instead of a stale build) and by ensure-built.mjs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const serverRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const builtMarker = join(serverRoot, 'dist', 'BUILT');

// Every start walks ~600 files, so this stays lean: plain string paths (path.join normalises each one),
// no stat of tests, and the walk stops at the first file newer than the build.
function hasNewerSource(dir, built) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (hasNewerSource(path, built)) return true;
    }
    // Tests are not in the build; editing one must not make the build look stale.
    else if (!entry.name.endsWith('.test.ts') && statSync(path).mtimeMs > built) return true;
  }
  return false;
}

/** True when dist/ exists and no source, shared source, build script or lock file changed after it was built. */
export function serverBuildIsFresh() {
  if (!existsSync(builtMarker)) return false;
  const built = statSync(builtMarker).mtimeMs;
  const roots = [join(serverRoot, 'src'), join(serverRoot, '..', '..', 'packages', 'shared', 'src')];
  // The lock file too: dependencies are bundled, so an `npm install` that changes one needs a rebuild.
  const files = [
    join(serverRoot, 'scripts', 'build.mjs'),
    join(serverRoot, 'package.json'),
    join(serverRoot, '..', '..', 'package-lock.json'),
  ].filter((f) => existsSync(f));
  return roots.every((r) => !hasNewerSource(r, built)) && files.every((f) => statSync(f).mtimeMs <= built);
}
