// Dates in conditions are whole UTC days (CONTRACT §7): "today" comes from the caller's clock, arithmetic
// happens here in JS, and the SQL only compares texts — so no dialect needs date functions.
const DAY_MS = 86_400_000;

/** The UTC day of an instant, as YYYY-MM-DD. */
export const dayOf = (now: Date): string => now.toISOString().slice(0, 10);

/** `day` moved by `n` days (negative: back). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The inclusive day range [from, to] an operator selects (either end open), from today and its value. */
export function dayRange(op: string, value: unknown, today: string): { from?: string; to?: string } {
  switch (op) {
    case 'on': return { from: value as string, to: value as string };
    case 'before': return { to: addDays(value as string, -1) };
    case 'after': return { from: addDays(value as string, 1) };
    case 'between': return { from: (value as string[])[0], to: (value as string[])[1] };
    case 'in_last_days': return { from: addDays(today, -(value as number)), to: today };
    case 'in_next_days': return { from: today, to: addDays(today, value as number) };
    case 'more_than_days_ago': return { to: addDays(today, -(value as number) - 1) };
    default: throw new Error(`not a day-range operator: ${op}`);
  }
}
