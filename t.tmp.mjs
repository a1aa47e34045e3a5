import { readFileSync } from 'node:fs';
import { minify } from 'terser';
import { gzipSync } from 'node:zlib';
const f = process.argv[2]; const mod = process.argv[3] === 'module';
const s = readFileSync(f, 'utf8');
const g = (c) => gzipSync(c, { level: 9 }).length;
const opts = {
  base: { module: mod, compress: { passes: 3, ecma: 2020 }, mangle: true },
  unsafe: { module: mod, toplevel: true, compress: { passes: 3, ecma: 2020, unsafe: true, unsafe_arrows: true, unsafe_methods: true, pure_getters: true, unsafe_comps: true, unsafe_math: true, hoist_funs: false }, mangle: true, format: { ecma: 2020 } },
  props: { module: mod, toplevel: true, compress: { passes: 3, ecma: 2020, unsafe: true, unsafe_arrows: true, unsafe_methods: true, pure_getters: true }, mangle: { properties: { regex: /^__[a-zA-Z]$/ } }, format: { ecma: 2020 } },
};
for (const [k, o] of Object.entries(opts)) { const r = await minify(s, o); console.log(k, r.code.length, g(r.code)); }
