// HTTP load with autocannon: a fixed number of keep-alive connections for a fixed time.
import autocannon from 'autocannon';

export type LoadResult = { rps: number; p50: number; p99: number; ok: number; errors: number; non2xx: number };

export type LoadOptions = {
  url: string;
  path: string;
  connections: number;
  durationS: number;
  /** Headers and body of the n-th request (n counts from 0 across all connections). */
  request: (n: number) => { headers: Record<string, string>; body: string };
};

/** Drives POST requests and answers requests/s (2xx only) and latency percentiles in ms. */
export async function drive(o: LoadOptions): Promise<LoadResult> {
  let n = 0;
  const r = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.durationS,
    timeout: 10,
    requests: [{
      method: 'POST',
      path: o.path,
      setupRequest: (req) => {
        const { headers, body } = o.request(n++);
        return { ...req, headers: { 'content-type': 'application/json', ...headers }, body };
      },
    }],
  });
  const ok = r['2xx'];
  return { rps: ok / r.duration, p50: r.latency.p50, p99: r.latency.p99, ok, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}
