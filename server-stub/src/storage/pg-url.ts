// DATABASE_URL → what postgres.js connects to. Besides postgres://user:password@host:port/db, the libpq forms of a Unix
// socket when PostgreSQL runs on the same machine (no TCP stack on either side of every statement, docs/DEPLOY.md):
//   postgres://user@/db?host=/var/run/postgresql      (the socket directory in `host`, `port` picks .s.PGSQL.<port>)
//   postgres://user@%2Fvar%2Frun%2Fpostgresql/db      (the directory percent-encoded as the host)
// postgres.js would send an unknown query parameter such as `host` to the server as a setting (and fail), and the
// WHATWG URL parser refuses `user@/db`, so both are resolved here into its `path` option.

export type PgTarget = {
  /** The URL handed to postgres.js (socket parameters removed; a placeholder host when a socket is used). */
  url: string;
  /** The socket file (`<dir>/.s.PGSQL.<port>`), when the URL names a socket directory. */
  path?: string;
};

/** Parses a DATABASE_URL; throws a plain Error naming what is wrong (config.ts turns it into a ConfigError). */
export function pgTarget(raw: string): PgTarget {
  // libpq's empty host (`user@/db`, `///db`): a socket in `host`; WHATWG URL needs some host to parse the rest
  const patched = raw.replace(/^(postgres(?:ql)?:\/\/[^/?#]*@)(?=[/?#]|$)/i, '$1localhost');
  let u: URL;
  try {
    u = new URL(patched);
  } catch {
    throw new Error('DATABASE_URL must be a postgres://user:password@host:port/database URL (or postgres://user@/database?host=/socket/dir)');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, got "${u.protocol}//…"`);
  const hostParam = u.searchParams.get('host');
  const encodedHost = decodeURIComponent(u.hostname);
  const dir = hostParam ?? (encodedHost.startsWith('/') ? encodedHost : undefined);
  if (dir === undefined) {
    // libpq would pick its compiled-in socket directory; postgres.js would silently try TCP to localhost instead
    if (patched !== raw) throw new Error('DATABASE_URL has no host: name the socket directory (postgres://user@/database?host=/var/run/postgresql) or a host:port');
    return { url: raw };
  }
  if (!dir.startsWith('/')) throw new Error(`DATABASE_URL's host parameter must be an absolute socket directory (e.g. /var/run/postgresql), got "${dir}"`);
  const portParam = u.searchParams.get('port');
  const port = portParam ?? (u.port || '5432');
  if (!/^\d{1,5}$/.test(port)) throw new Error(`DATABASE_URL's port must be a number, got "${port}"`);
  u.searchParams.delete('host');
  u.searchParams.delete('port');
  u.hostname = 'localhost';
  u.port = '';
  return { url: u.toString(), path: `${dir.replace(/\/+$/, '')}/.s.PGSQL.${port}` };
}

/** The URL without its password, for the start-up banner (a socket shown as libpq writes it). */
export function redactedPgUrl(raw: string): string {
  const t = pgTarget(raw);
  const u = new URL(t.url);
  if (u.password) u.password = '***';
  if (!t.path) return u.toString();
  const dir = t.path.slice(0, t.path.lastIndexOf('/'));
  u.searchParams.set('host', dir);
  const port = t.path.slice(t.path.lastIndexOf('.') + 1);
  if (port !== '5432') u.searchParams.set('port', port);
  return u.toString().replace('@localhost/', '@/').replace('//localhost/', '///').replace(/%2F/gi, '/');
}
