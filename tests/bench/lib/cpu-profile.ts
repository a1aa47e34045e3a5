// Reads a V8 .cpuprofile (node --cpu-prof) and names where the time went: self time per function.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

export type Hotspot = { name: string; ms: number; share: number };

/** The top functions by self time in one profile, with their share of all sampled time. */
export function hotspots(profile: Profile, root: string, top = 10): Hotspot[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const f = byId.get(id)?.callFrame;
    if (!f) return;
    const where = f.url ? ` ${f.url.replace('file://', '').replace(root + '/', '')}:${f.lineNumber + 1}` : '';
    const name = `${f.functionName || '(anonymous)'}${where}`;
    self.set(name, (self.get(name) ?? 0) + us);
    total += us;
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: us / 1000, share: total ? us / total : 0 }));
}

/**
 * The main thread's profile among those written since `sinceMs`: the largest file, since tsx's
 * loader worker writes a second, nearly idle profile. Null when there is none.
 */
export function newestProfile(dir: string, sinceMs = 0): Profile | null {
  let files: string[] = [];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && statSync(join(dir, f)).mtimeMs >= sinceMs); } catch { return null; }
  if (!files.length) return null;
  files.sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size);
  return JSON.parse(readFileSync(join(dir, files[0]), 'utf8')) as Profile;
}
