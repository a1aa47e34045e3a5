// Bytes: the paste-in stub, the documented embed snippet, the loader widget.js and what a chatting visitor loads
// (loader + the window's module + the largest language chunk, each compressed on its own), raw / gzip / brotli at
// the strongest levels a CDN uses. The same rows and goals as tests/size/size.mjs (issue 10).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { BenchContext, SectionResult } from '../lib/section';

export const STUB_GOAL_B = 600;
export const LOADER_GOAL_GZIP_B = 3 * 1024;
export const WIDGET_GOAL_GZIP_B = 20 * 1024;

/** Raw, gzip -9 and brotli -11 sizes of a buffer in bytes. */
export function sizesOf(buf: Buffer) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** The loader, the window's module and its largest language chunk: what a visitor who chats loads. */
function chattingFiles(root: string): string[] {
  const dir = join(root, 'dist/widget/widget');
  const chunks = existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [];
  const app = chunks.filter((f) => /\/app-[\w-]+\.js$/.test(f));
  const langs = chunks.filter((f) => !app.includes(f)).sort((a, b) => sizesOf(readFileSync(b)).gzip - sizesOf(readFileSync(a)).gzip);
  return app.length ? [join(root, 'dist/widget/widget.js'), ...app, ...langs.slice(0, 1)] : [];
}

export async function runBytes(ctx: BenchContext): Promise<SectionResult> {
  const figures: SectionResult['figures'] = [];
  const notes: string[] = [];
  const rows: [string, string[], 'raw' | 'gzip', number][] = [
    ['stub', [join(ctx.root, 'widget/snippet/stub.min.js')], 'raw', STUB_GOAL_B],
    ['embed snippet', [join(ctx.root, 'widget/snippet/embed.min.js')], 'raw', STUB_GOAL_B],
    ['widget.js (loader)', [join(ctx.root, 'dist/widget/widget.js')], 'gzip', LOADER_GOAL_GZIP_B],
    ['chatting visitor (loader + window + largest language)', chattingFiles(ctx.root), 'gzip', WIDGET_GOAL_GZIP_B],
  ];
  for (const [name, paths, goalOn, goal] of rows) {
    const missing = !paths.length ? ['dist/widget/widget/app-*.js'] : paths.filter((p) => !existsSync(p));
    if (missing.length) {
      figures.push({ section: 'Bytes', name: `${name} ${goalOn}`, value: null, unit: 'B', goal: { op: '<=', value: goal }, note: `${missing.join(', ')} not found` });
      continue;
    }
    const s = { raw: 0, gzip: 0, brotli: 0 };
    for (const p of paths) { const one = sizesOf(readFileSync(p)); s.raw += one.raw; s.gzip += one.gzip; s.brotli += one.brotli; }
    for (const kind of ['raw', 'gzip', 'brotli'] as const) {
      figures.push({
        section: 'Bytes',
        name: `${name} ${kind}`,
        value: s[kind],
        unit: 'B',
        ...(kind === goalOn ? { goal: { op: '<=' as const, value: goal } } : {}),
      });
    }
    ctx.log(`bytes ${name}: ${s.raw} raw, ${s.gzip} gzip, ${s.brotli} brotli`);
  }
  notes.push('Stub and snippet budgets apply to their minified text as pasted into a page (raw); the loader\'s and the chatting visitor\'s to gzip -9, each file compressed on its own. 1 KB = 1,024 B.');
  return { figures, notes };
}
