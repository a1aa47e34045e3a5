// `npm run size`: raw / gzip / brotli bytes of the paste-in stub and the built widget.
// With --check, exit 1 past the budget (stub ≤ 600 B raw minified, widget.js ≤ 20,480 B gzip).
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const budgets = [
  { file: 'widget/snippet/stub.min.js', measure: 'raw', max: 600 },
  { file: 'dist/widget/widget.js', measure: 'gzip', max: 20_480 },
];
const check = process.argv.includes('--check');
let failed = 0;
for (const { file, measure, max } of budgets) {
  const path = root + file;
  if (!existsSync(path)) {
    console.log(`${file}: missing (run \`npx vite build --mode widget\` first)`);
    failed++;
    continue;
  }
  const buf = readFileSync(path);
  const sizes = {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
  const ok = sizes[measure] <= max;
  if (!ok) failed++;
  console.log(`${file}: raw ${sizes.raw} B, gzip ${sizes.gzip} B, brotli ${sizes.brotli} B — budget ${measure} ≤ ${max} B: ${ok ? 'ok' : 'OVER'}`);
}
if (check && failed) process.exit(1);
