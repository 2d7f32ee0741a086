// Prints the size of the built widget, raw and gzipped (what visitors download).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'widget.js');
const body = readFileSync(file);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`widget.js: ${kb(body.length)} raw, ${kb(gzipSync(body, { level: 9 }).length)} gzipped`);
