// Password hashing (CONTRACT §6): scrypt from node:crypto with a per-password random salt; the parameters are
// stored in the hash so they can be raised later without invalidating old hashes. Never inside a store unit.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** N = 2^15, r = 8, p = 1 (OWASP's scrypt floor is N = 2^17 at 128 MB; 2^15 keeps a login near 50-100 ms on 2 cores). */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLen: 32 } as const;

const derive = (password: string, salt: Buffer, o: { N: number; r: number; p: number }, keyLen: number) =>
  new Promise<Buffer>((resolve, reject) => {
    const opts: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 128 * o.N * o.r * 2 };
    scrypt(password.normalize('NFKC'), salt, keyLen, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });

/** `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, SCRYPT, SCRYPT.keyLen);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `password` matches `stored`; a malformed stored hash never matches (and still costs one hash). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const ok = kind === 'scrypt' && [params.N, params.r, params.p].every((x) => Number.isInteger(x) && x > 0) && salt && hash;
  const expected = ok ? Buffer.from(hash, 'base64url') : Buffer.alloc(SCRYPT.keyLen);
  const key = await derive(password, ok ? Buffer.from(salt, 'base64url') : randomBytes(16), ok ? params : SCRYPT, expected.length || SCRYPT.keyLen);
  return Boolean(ok) && key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of nothing anyone knows: an unknown email is checked against it, so it costs what a wrong password costs. */
export const dummyHash = (() => {
  let h: Promise<string> | null = null;
  return () => (h ??= hashPassword(randomBytes(24).toString('base64url')));
})();
