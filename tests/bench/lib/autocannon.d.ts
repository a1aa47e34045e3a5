// autocannon ships no types; the bench uses only this part of its API.
declare module 'autocannon' {
  type Req = { method?: string; path?: string; headers?: Record<string, string>; body?: string };
  type Hist = { average: number; mean: number; p50: number; p90: number; p99: number; max: number; total: number };
  export type Result = {
    requests: Hist; latency: Hist; throughput: Hist; duration: number;
    errors: number; timeouts: number; non2xx: number; '2xx': number; '4xx': number; '5xx': number;
  };
  export type Options = {
    url: string; connections?: number; duration?: number; pipelining?: number; timeout?: number;
    requests?: (Req & { setupRequest?: (req: Req, context: Record<string, unknown>) => Req })[];
  };
  export default function autocannon(opts: Options): Promise<Result>;
}
