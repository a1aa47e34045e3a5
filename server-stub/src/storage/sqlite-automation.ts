// SQLite statements behind automation-store.ts (the schedule, webhooks, rules): plain SQL a PostgreSQL store can copy.
import type Database from 'better-sqlite3';
import type { AutomationReader, AutomationTx } from './automation-store.js';

type Row = Record<string, any>;
type Sync<T> = { [K in keyof T]: T[K] extends (...a: infer A) => Promise<infer R> ? (...a: A) => R : never };

/** The names of the read methods below (sqlite-units.ts offers them to read units). */
export const AUTOMATION_READS = ['getScheduleRun'] as const satisfies readonly (keyof AutomationReader)[];

export function automationOps(st: (sql: string) => Database.Statement): Sync<AutomationReader & AutomationTx> {
  return {
    getScheduleRun: (name) => (st('SELECT last_run_at FROM schedule_runs WHERE name = ?').get(name) as Row | undefined)?.last_run_at ?? null,
    claimScheduleRun: (name, prev, now) =>
      prev === null
        ? st('INSERT INTO schedule_runs (name, last_run_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, now).changes === 1
        : st('UPDATE schedule_runs SET last_run_at = ? WHERE name = ? AND last_run_at = ?').run(now, name, prev).changes === 1,
  };
}
