// One HTTP attempt of a webhook delivery: POST with a 10 s budget, to a public address only (checked when the socket
// connects, so a name that resolves to a private address after it was saved — DNS rebinding — is still refused).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress, literalAddress } from '../domain/webhook-target.js';

export type AttemptResult = { ok: boolean; status: number | null; error: string | null };

export class PrivateTargetError extends Error {
  constructor(address: string) {
    super(`refused: ${address} is a private or loopback address`);
  }
}

/** A dns.lookup that refuses private answers (what the socket would connect to). */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const bad = !allowPrivate && addresses.find((a) => isPrivateAddress(a.address));
      if (bad) return callback(new PrivateTargetError(bad.address), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** Every address a URL's host resolves to is public (or allowed); answers the refusal, or null. */
export async function targetProblem(url: string, allowPrivate: boolean): Promise<string | null> {
  if (allowPrivate) return null;
  const u = new URL(url);
  const literal = literalAddress(u);
  if (literal) return isPrivateAddress(literal) ? `${literal} is a private or loopback address` : null;
  const addresses = await new Promise<LookupAddress[] | Error>((resolve) => dnsLookup(u.hostname, { all: true }, (err, a) => resolve(err ?? a)));
  if (addresses instanceof Error) return `cannot resolve ${u.hostname}`;
  const bad = addresses.find((a) => isPrivateAddress(a.address));
  return bad ? `${u.hostname} resolves to ${bad.address}, a private or loopback address` : null;
}

/** POSTs `body` with `headers`; any 2xx within `timeoutMs` is a success. The answer's body is read and dropped. */
export function postWebhook(url: string, headers: Record<string, string>, body: string, opts: { timeoutMs: number; allowPrivate: boolean }): Promise<AttemptResult> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const literal = literalAddress(u);
    if (literal && !opts.allowPrivate && isPrivateAddress(literal)) return resolve({ ok: false, status: null, error: new PrivateTargetError(literal).message });
    const options: RequestOptions = {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Chative-Webhooks/1', ...headers },
      lookup: guardedLookup(opts.allowPrivate),
      agent: false, // one connection per attempt: no pooled socket to an address checked long ago
    };
    let done = false;
    const finish = (r: AttemptResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, options, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        finish({ ok: status >= 200 && status < 300, status, error: status >= 200 && status < 300 ? null : `answered ${status}` });
      });
      res.on('error', (err) => finish({ ok: false, status: res.statusCode ?? null, error: err.message }));
    });
    const timer = setTimeout(() => {
      finish({ ok: false, status: null, error: `no answer within ${opts.timeoutMs / 1000} s` });
      req.destroy();
    }, opts.timeoutMs);
    req.on('error', (err) => finish({ ok: false, status: null, error: err.message || (err as NodeJS.ErrnoException).code || 'connection failed' }));
    req.end(body);
  });
}
