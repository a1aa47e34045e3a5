// The visitor's IANA time zone for the session (PROTOCOL.md POST /v1/sessions).
// Temporal answers in ~0.1 ms; the first Intl.DateTimeFormat() loads ICU locale and zone data:
// 120–370 ms at 4x CPU throttling, one long task on the host page (bench profile). Intl is the fallback.

type TemporalLike = { Now?: { timeZoneId?: () => string } };

export function readTimezone(g: { Temporal?: TemporalLike; Intl?: typeof Intl } = globalThis as never): string | undefined {
  try {
    const id = g.Temporal?.Now?.timeZoneId?.();
    if (id) return id;
  } catch {
    // a half-shipped Temporal: use Intl
  }
  try {
    return g.Intl?.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}
