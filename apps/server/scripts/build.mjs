// Compiles the server once (at install, build or before start) into dist/, so a production start loads
// plain JavaScript instead of compiling ~500 TypeScript files through tsx on every boot.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const finalDir = join(root, 'dist');
// Built beside and then swapped in, so a process starting meanwhile sees the old build or none (the
// `switchboard` command then runs the sources), never half of a new one.
const outdir = join(root, `dist.${process.pid}.tmp`);

// Source files find their neighbours (the console's and widget's builds, the password list, README)
// through import.meta; in one bundle every module would see dist/'s location instead. Each module's
// import.meta is rewritten to its source file's location relative to the bundle, which stays valid
// wherever the checkout lives.
const keepModuleLocation = {
  name: 'keep-module-location',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      if (text.includes('import.meta.url') || text.includes('import.meta.dirname')) {
        const rel = relative(finalDir, args.path).split('\\').join('/');
        const url = `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
        text = text
          .replaceAll('import.meta.url', `(${url})`)
          .replaceAll('import.meta.dirname', `__sbDirname(${url})`);
        if (text.includes('__sbDirname(')) {
          text = `import { dirname as __sbD } from 'node:path';\nimport { fileURLToPath as __sbF } from 'node:url';\n${text}\nfunction __sbDirname(u: string): string {\n  return __sbD(__sbF(u));\n}\n`;
        }
      }
      return { contents: text, loader: 'ts' };
    });
  },
};

// Bundled CommonJS packages that find their own files through __dirname (Swagger UI's page assets) keep
// finding them in node_modules: __dirname becomes the package's folder as resolved at run time (through
// the banner's require, i.e. from dist/), plus the file's subfolder in the package.
const packagesUsingDirname = ['@fastify/swagger-ui'];
const keepPackageDirname = {
  name: 'keep-package-dirname',
  setup(b) {
    for (const pkg of packagesUsingDirname) {
      const folder = `node_modules/${pkg}/`;
      const filter = new RegExp(`node_modules[\\\\/]${pkg.replace('/', '[\\\\/]')}[\\\\/].*\\.js$`);
      b.onLoad({ filter }, async (args) => {
        const path = args.path.split('\\').join('/');
        const at = path.lastIndexOf(folder);
        if (at < 0) return undefined;
        const sub = dirname(path.slice(at + folder.length));
        const text = await readFile(args.path, 'utf8');
        const dir = `require('node:path').join(require('node:path').dirname(require.resolve(${JSON.stringify(`${pkg}/package.json`)})), ${JSON.stringify(sub)})`;
        return { contents: text.replaceAll('__dirname', `(${dir})`), loader: 'js' };
      });
    }
  },
};

// zod's `z` namespace re-exports all ~45 of its message locales (a quarter-megabyte, ~8% of the bundle,
// parsed at every start): esbuild keeps every export of a namespace used as a value. Switchboard's
// messages are its own, zod's default English is imported by zod itself (classic/schemas.js), and no code
// calls z.config(z.locales.xx()), so `z.locales` is built with English only.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: "export { default as en } from './en.js';\n",
      loader: 'js',
    }));
  },
};

// Pure-JavaScript dependencies are bundled too: loading one file instead of a thousand small ones is most
// of what a start costs (kysely alone is ~400 files). What stays in node_modules: native modules, and
// packages that find their own files at run time (Swagger UI's assets, Socket.IO's client, pino's worker
// transports, pg's optional native driver), and what lib/lazy-require.ts loads on first use. Swagger UI is
// bundled (its own copies of yaml and @fastify/static cost a fifth of a start as separate CommonJS files),
// its asset folder found through keepPackageDirname.
const keepInNodeModules = new Set([
  // Fastify's default schema compilers (Ajv, fast-json-stringify; a tenth of the bundle): every route
  // compiles through zod (http/app.ts names the compilers), so they are never loaded and need not be
  // parsed at start either. (Fastify's error serializer takes one small file of fast-json-stringify,
  // which stays bundled.)
  '@fastify/ajv-compiler',
  '@fastify/fast-json-stringify-compiler',
  'better-sqlite3',
  'argon2',
  'pg',
  'socket.io',
  '@socket.io/redis-adapter',
  'pino',
  'ioredis',
  'tsx',
]);
const packageName = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');
const externalDependencies = {
  name: 'external-dependencies',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = packageName(args.path);
      if (name.startsWith('@aws-sdk/') || keepInNodeModules.has(name))
        return { path: args.path, external: true };
      return undefined;
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const started = Date.now();
const result = await build({
  entryPoints: { main: join(root, 'src/main.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Whitespace and syntax only: names stay readable in stack traces; a smaller file is parsed faster
  // and its source string (kept by V8 for lazy compilation) takes less memory.
  minifyWhitespace: true,
  minifySyntax: true,
  outExtension: { '.js': '.mjs' },
  // Chunks sit beside main.mjs: the import.meta rewrite above is relative to dist/ itself.
  chunkNames: '[name]-[hash]',
  plugins: [keepModuleLocation, keepPackageDirname, zodEnglishOnly, externalDependencies],
  // Bundled CommonJS packages require Node's built-ins; an ES module has no `require` of its own.
  banner: {
    js: "import { createRequire as __sbCreateRequire } from 'node:module';\nconst require = __sbCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
  metafile: true,
});
writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
writeFileSync(join(outdir, 'BUILT'), `${new Date().toISOString()}\n`);
// Chunk names carry content hashes: the old build goes whole, so dist/ holds exactly one build.
rmSync(finalDir, { recursive: true, force: true });
renameSync(outdir, finalDir);
console.log(`apps/server: compiled into dist/ in ${Date.now() - started} ms`);
