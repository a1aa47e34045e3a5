// One log line per refused widget origin, so a site owner sees the misconfiguration without a flood.

export type RefusalLog = { note(origin: string): void };

/**
 * Logs an origin at most once per `everyMs` (default 10 min) and at most `maxLines` lines per window
 * overall: a page cycling through made-up origins cannot fill the disk.
 */
export function createRefusalLog(opts: { log?: (line: string) => void; now?: () => number; everyMs?: number; maxLines?: number } = {}): RefusalLog {
  const log = opts.log ?? ((line: string) => console.warn(line));
  const now = opts.now ?? Date.now;
  const everyMs = opts.everyMs ?? 10 * 60_000;
  const maxLines = opts.maxLines ?? 50;
  const last = new Map<string, number>();
  let windowStart = -Infinity;
  let lines = 0;
  let dropped = 0;
  return {
    note(origin) {
      const t = now();
      if (t - windowStart >= everyMs) {
        if (dropped) log(`widget origin refused: ${dropped} more refusals from other origins were not logged in the last ${Math.round(everyMs / 60_000)} min`);
        windowStart = t;
        lines = 0;
        dropped = 0;
        for (const [o, at] of last) if (t - at >= everyMs) last.delete(o);
      }
      const key = origin.slice(0, 200);
      const seen = last.get(key);
      if (seen !== undefined && t - seen < everyMs) return;
      if (lines >= maxLines) { dropped++; return; }
      last.set(key, t);
      lines++;
      // JSON-quoted: the header is attacker-chosen text and must not forge log lines
      log(`widget origin refused: ${JSON.stringify(key)} is not an allowed origin (CHATIVE_ALLOWED_ORIGINS or console Settings -> Widget -> Allowed origins); next report for it in ${Math.round(everyMs / 60_000)} min`);
    },
  };
}
