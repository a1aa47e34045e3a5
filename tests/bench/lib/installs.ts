// Packages the bench measures or runs but the product never ships (a peer widget, Lighthouse):
// installed by the bench itself into the ignored tests/.tmp, so `npm ci` stays lean.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Install = { ok: true; dir: string } | { ok: false; reason: string };

/** Whether every `name@version` is already in `dir`/node_modules at exactly that version. */
function installed(dir: string, specs: string[]): boolean {
  return specs.every((spec) => {
    const at = spec.lastIndexOf('@');
    const file = join(dir, 'node_modules', spec.slice(0, at), 'package.json');
    return existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version === spec.slice(at + 1);
  });
}

/**
 * Installs exact `name@version` specs into `dir` on first use (cached afterwards). Never throws:
 * an unreachable registry answers { ok: false } so the caller skips its figure with a clear line.
 */
export async function ensureInstalled(dir: string, specs: string[], log: (m: string) => void): Promise<Install> {
  if (installed(dir, specs)) return { ok: true, dir };
  mkdirSync(dir, { recursive: true });
  log(`installing ${specs.join(' ')} into ${dir} (first use; cached afterwards)`);
  // --ignore-scripts: nothing we install here needs a build step, and none should run on a bench box.
  const args = ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--fetch-retries=1', '--fetch-timeout=30000', ...specs];
  const err = await new Promise<string | null>((resolve) => {
    execFile('npm', args, { timeout: 300_000, maxBuffer: 16 * 2 ** 20 }, (e, _out, stderr) =>
      resolve(e ? (stderr.trim().split('\n').filter(Boolean).slice(0, 4).join(' ') || e.message) : null));
  });
  if (err !== null || !installed(dir, specs)) return { ok: false, reason: `npm install ${specs.join(' ')} failed (registry unreachable?): ${(err ?? 'versions not found after install').slice(0, 200)}` };
  return { ok: true, dir };
}
