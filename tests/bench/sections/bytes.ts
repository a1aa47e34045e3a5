// Bytes: the paste-in stub and widget.js, raw / gzip / brotli at the strongest levels a CDN uses.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { BenchContext, SectionResult } from '../lib/section';

export const STUB_GOAL_B = 600;
export const WIDGET_GOAL_GZIP_B = 20 * 1024;

/** Raw, gzip -9 and brotli -11 sizes of a buffer in bytes. */
export function sizesOf(buf: Buffer) {
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

export async function runBytes(ctx: BenchContext): Promise<SectionResult> {
  const stubPath = join(ctx.root, 'widget/snippet/stub.min.js');
  const widgetPath = join(ctx.root, 'dist/widget/widget.js');
  const figures: SectionResult['figures'] = [];
  const notes: string[] = [];
  for (const [name, path, goalOn, goal] of [
    ['stub', stubPath, 'raw', STUB_GOAL_B],
    ['widget.js', widgetPath, 'gzip', WIDGET_GOAL_GZIP_B],
  ] as const) {
    if (!existsSync(path)) {
      figures.push({ section: 'Bytes', name: `${name} ${goalOn}`, value: null, unit: 'B', goal: { op: '<=', value: goal }, note: `${path.slice(ctx.root.length + 1)} not found` });
      continue;
    }
    const s = sizesOf(readFileSync(path));
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
  notes.push('Stub budget applies to its minified text as pasted into a page (raw); widget budget to gzip -9. 1 KB = 1,024 B.');
  return { figures, notes };
}
