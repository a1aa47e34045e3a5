// A data directory holding a server's SQLite file with `size` seeded contacts: the server creates its schema and
// stops, then the contacts are written straight into the file (lib/seed-contacts.ts). Shared by the sections that
// measure at 100k / 1M (search, bulk, data).
import { findDbFile } from './db-files';
import { seedContacts } from './seed-contacts';
import { startBenchServer, type StartServer } from './server';
import type { BenchContext } from './section';

/** Seeds `dataDir` for `start`'s server and answers the seeding time in seconds (also logged under `label`). */
export async function seedServerDir(ctx: BenchContext, start: StartServer, dataDir: string, size: number, label: string): Promise<number> {
  const first = await startBenchServer(start, {}, dataDir);
  await first.server.stop();
  const file = findDbFile(dataDir);
  if (!file) throw new Error(`no SQLite file under ${dataDir}`);
  const seconds = seedContacts(file, 0, size);
  ctx.log(`${label}: seeded ${size.toLocaleString('en-US')} contacts in ${seconds.toFixed(1)} s`);
  return seconds;
}
