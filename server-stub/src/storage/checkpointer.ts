// WAL checkpoints off the main thread, for the SQLite store (see createCheckpointer).
import type Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// The checkpointer's thread: its own connection copies the log into the database file (and fsyncs both).
const CHECKPOINT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = FULL');
parentPort.on('message', (m) => {
  if (m === 'close') { try { db.close(); } catch {} parentPort.close(); return; }
  let r = null;
  try { r = db.pragma('wal_checkpoint(PASSIVE)')[0]; } catch {}
  parentPort.postMessage(r);
});`;
// Before this many commits SQLite checkpoints itself (short-lived stores, tests); after it, the thread does.
const CHECKPOINT_THREAD_AFTER = 100;
// A log this large means the thread never caught up with the writes: one checkpoint on the main thread bounds it.
const WAL_HARD_LIMIT = 64 * 1024 * 1024;
// Past this many log pages (SQLite's own checkpoint threshold) a group commit's syncToDisk also waits for one
// complete pass, so the next commit restarts the log: otherwise commits land during every pass, the log only
// grows (to 100+ MB in a minute of load) and each fdatasync of a growing file must commit its size too
// (~4 ms here, against ~0.4 ms for a rewrite in place).
const RESTART_AFTER_PAGES = 1000;

/**
 * Checkpoints off the main thread. SQLite's automatic checkpoint runs inside the COMMIT that crosses 1,000
 * log pages: it copies them into the database file and fsyncs both, stalling every request meanwhile (more
 * than half of a sync event's cost under load). A worker thread with its own connection runs PASSIVE
 * checkpoints instead (they never block the writer); after a complete one, the next write restarts the log.
 */
export function createCheckpointer(db: Database.Database, file: string) {
  let commits = 0;
  let worker: Worker | null = null;
  let busy = false;
  let dirty = false;
  let closed = false;
  // passes posted so far (while busy, the running one is number `passes`), and the log size the last one saw
  let passes = 0;
  let logPages = 0;
  let waiters: { pass: number; resolve: () => void }[] = [];
  const release = (upTo: number) => {
    const ready = waiters.filter((w) => w.pass <= upTo);
    waiters = waiters.filter((w) => w.pass > upTo);
    for (const w of ready) w.resolve();
  };
  const request = () => {
    if (closed || !worker) return;
    if (busy) { dirty = true; return; }
    busy = true;
    dirty = false;
    passes++;
    worker.postMessage('checkpoint');
  };
  const start = () => {
    worker = new Worker(CHECKPOINT_WORKER, { eval: true, workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3') } });
    worker.unref();
    worker.on('message', (r: { log?: number } | null) => {
      busy = false;
      logPages = r?.log ?? 0;
      release(passes);
      if (waiters.length) request();
      // commits arrived meanwhile: one more pass soon (a short pause lets a few of them gather)
      else if (dirty) setTimeout(request, 20).unref();
    });
    worker.on('error', (err) => {
      worker = null;
      release(Infinity);
      if (closed || !db.open) return;
      // without the thread SQLite goes back to checkpointing inside commits: slower, never unsafe
      console.error('checkpoint thread failed', err);
      db.pragma('wal_autocheckpoint = 1000');
    });
    db.pragma('wal_autocheckpoint = 0');
    db.pragma(`journal_size_limit = ${WAL_HARD_LIMIT / 4}`);
  };
  return {
    committed() {
      commits++;
      if (!worker) {
        if (commits >= CHECKPOINT_THREAD_AFTER && !closed) start();
        return;
      }
      if (commits % 256 === 0 && (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0) > WAL_HARD_LIMIT) db.pragma('wal_checkpoint(PASSIVE)');
      request();
    },
    /** When the log is long: resolves after a pass that started now (no commit can land in it meanwhile). */
    settle(): Promise<void> | null {
      if (!worker || closed || logPages < RESTART_AFTER_PAGES) return null;
      return new Promise<void>((resolve) => {
        // never hold acknowledgements for long on a stuck thread
        const timer = setTimeout(resolve, 1000);
        timer.unref();
        waiters.push({ pass: passes + 1, resolve: () => { clearTimeout(timer); resolve(); } });
        request();
      });
    },
    close() {
      closed = true;
      worker?.postMessage('close');
      worker = null;
      release(Infinity);
    },
  };
}
