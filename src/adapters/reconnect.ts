/**
 * How long to wait, in ms, before reconnect attempt `attempt` (0 for the
 * first): `first` doubling up to `max`, with ±20 % jitter so many consoles
 * that lost the same server do not all retry in step.
 */
export function reconnectDelay(attempt: number, first = 1000, max = 30_000, random = Math.random): number {
  return Math.round(Math.min(max, first * 2 ** attempt) * (0.8 + 0.4 * random()));
}
