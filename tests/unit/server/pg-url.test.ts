// DATABASE_URL forms the PostgreSQL store accepts: host:port as before, and libpq's Unix-socket forms (storage/pg-url.ts).
import { describe, expect, it } from 'vitest';
import { pgTarget, redactedPgUrl } from '../../../server-stub/src/storage/pg-url.js';

describe('pgTarget', () => {
  it('passes a host:port URL through untouched', () => {
    expect(pgTarget('postgres://u:pw@127.0.0.1:5433/db?sslmode=disable')).toEqual({ url: 'postgres://u:pw@127.0.0.1:5433/db?sslmode=disable' });
  });

  it('turns ?host=/dir into the socket file, port from ?port or the URL, other parameters kept', () => {
    expect(pgTarget('postgres://u@/db?host=/var/run/postgresql')).toEqual({ url: 'postgres://u@localhost/db', path: '/var/run/postgresql/.s.PGSQL.5432' });
    expect(pgTarget('postgresql://u:pw@/db?host=/tmp/pg/&port=6000&sslmode=disable')).toEqual({ url: 'postgresql://u:pw@localhost/db?sslmode=disable', path: '/tmp/pg/.s.PGSQL.6000' });
    expect(pgTarget('postgres:///db?host=/tmp/pg').path).toBe('/tmp/pg/.s.PGSQL.5432');
  });

  it('reads a percent-encoded socket directory as the host', () => {
    expect(pgTarget('postgres://u@%2Ftmp%2Fpg:5999/db')).toEqual({ url: 'postgres://u@localhost/db', path: '/tmp/pg/.s.PGSQL.5999' });
  });

  it('refuses what would connect somewhere else than meant, naming the part', () => {
    expect(() => pgTarget('postgres://u@/db')).toThrow(/no host/);
    expect(() => pgTarget('postgres://u@/db?host=relative')).toThrow(/absolute socket directory/);
    expect(() => pgTarget('postgres://u@/db?host=/tmp&port=x')).toThrow(/port must be a number/);
    expect(() => pgTarget('mysql://db/chative')).toThrow(/must start with postgres:\/\/ or postgresql:\/\//);
    expect(() => pgTarget('not a url')).toThrow(/must be a postgres:\/\//);
  });

  it('shows the URL without its password, a socket as libpq writes it', () => {
    expect(redactedPgUrl('postgres://u:secret@db:5432/x')).toBe('postgres://u:***@db:5432/x');
    expect(redactedPgUrl('postgres://u:secret@/x?host=/tmp/pg&port=6000')).toBe('postgres://u:***@/x?host=/tmp/pg&port=6000');
  });
});
