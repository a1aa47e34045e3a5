// Finds the server's SQLite file in its DATA_DIR without assuming its name.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The largest *.db / *.sqlite / *.sqlite3 file directly under dir (or one level down). */
export function findDbFile(dir: string): string | null {
  const found: string[] = [];
  const visit = (d: string, depth: number) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory() && depth < 1) visit(p, depth + 1);
      else if (/\.(db|sqlite3?)$/.test(name)) found.push(p);
    }
  };
  visit(dir, 0);
  found.sort((a, b) => statSync(b).size - statSync(a).size);
  return found[0] ?? null;
}
