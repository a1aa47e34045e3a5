// `npm run size`: raw / gzip / brotli bytes of the paste-in stub, the loader (widget.js) and what a
// chatting visitor loads (loader + the window's module + the largest language chunk).
// With --check, exit 1 past a budget: issue 10's loader ≤ 3 KB gzip and chatting visitor ≤ 20 KB gzip
// (the largest language counted, a conservative figure: English visitors load no language chunk).
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const chunks = existsSync(root + 'dist/widget/widget') ? readdirSync(root + 'dist/widget/widget').map((f) => 'dist/widget/widget/' + f) : [];
const app = chunks.filter((f) => /\/app-[\w-]+\.js$/.test(f));
const langs = chunks.filter((f) => !app.includes(f));
const gz = (file) => gzipSync(readFileSync(root + file), { level: 9 }).length;
const largestLang = langs.sort((a, b) => gz(b) - gz(a))[0];
const budgets = [
  { name: 'widget/snippet/stub.min.js', files: ['widget/snippet/stub.min.js'], measure: 'raw', max: 600 },
  { name: 'dist/widget/widget.js (loader)', files: ['dist/widget/widget.js'], measure: 'gzip', max: 3072 },
  { name: 'a chatting visitor (loader + window + largest language)', files: ['dist/widget/widget.js', ...app, ...(largestLang ? [largestLang] : [])], measure: 'gzip', max: 20_480 },
];
const check = process.argv.includes('--check');
let failed = 0;
if (!app.length) { console.log('dist/widget/widget/app-*.js: missing (run `npm run build` first)'); failed++; }
for (const { name, files, measure, max } of budgets) {
  const missing = files.filter((f) => !existsSync(root + f));
  if (missing.length) {
    console.log(`${missing.join(', ')}: missing (run \`npm run build\` first)`);
    failed++;
    continue;
  }
  const sizes = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of files) {
    const buf = readFileSync(root + f);
    sizes.raw += buf.length;
    sizes.gzip += gzipSync(buf, { level: 9 }).length; // each file travels compressed on its own
    sizes.brotli += brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  const ok = sizes[measure] <= max;
  if (!ok) failed++;
  console.log(`${name}: raw ${sizes.raw} B, gzip ${sizes.gzip} B, brotli ${sizes.brotli} B — budget ${measure} ≤ ${max} B: ${ok ? 'ok' : 'OVER by ' + (sizes[measure] - max) + ' B'}`);
}
if (check && failed) process.exit(1);
