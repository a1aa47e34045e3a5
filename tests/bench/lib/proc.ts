// Process facts from /proc (Linux): which process listens on a port, and its resident memory.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** Resident set size of one process in MB, or null when it is gone. */
export function rssMb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null; // the process exited between two samples
  }
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try { text = readFileSync(file, 'utf8'); } catch { continue; } // no IPv6 on this box
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols[1] = local "ADDR:PORT", cols[3] = state (0A = LISTEN), cols[9] = inode
      if (cols.length > 9 && cols[1].endsWith(`:${hex}`) && cols[3] === '0A') inodes.add(cols[9]);
    }
  }
  return inodes;
}

/**
 * The pid of the process listening on a TCP port. The server may run under a wrapper (tsx spawns
 * a child node), so the pid a spawner holds is not always the one whose memory matters.
 */
export function pidListeningOn(port: number): number | null {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return null;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try { fds = readdirSync(`/proc/${entry}/fd`); } catch { continue; } // other users' processes
    for (const fd of fds) {
      let link = '';
      try { link = readlinkSync(`/proc/${entry}/fd/${fd}`); } catch { continue; }
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(m[1])) return Number(entry);
    }
  }
  return null;
}

/** Samples a process's RSS every `everyMs` until stopped; answers the peak and the last sample. */
export function watchRss(pid: number, everyMs = 250) {
  let peak = rssMb(pid) ?? 0;
  let last = peak;
  const timer = setInterval(() => {
    const v = rssMb(pid);
    if (v !== null) { last = v; peak = Math.max(peak, v); }
  }, everyMs);
  timer.unref();
  return { stop: () => { clearInterval(timer); return { peak, last }; } };
}
