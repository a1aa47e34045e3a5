// Exponential backoff with jitter, so a thousand widgets do not reconnect in the same second.

/** Delay before retry number `attempt` (0-based): base·2^attempt capped at max, scaled by 50–100 %. */
export function backoffDelay(attempt: number, base = 500, max = 30_000, random = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling * (0.5 + random() / 2));
}
