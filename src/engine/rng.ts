/**
 * A small seeded PRNG (mulberry32). Its whole state is one 32-bit integer,
 * kept inside the machine state so a snapshot carries it.
 */
export function nextRandom(state: { rng: number }): number {
  let t = (state.rng = (state.rng + 0x6d2b79f5) | 0);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Integer rounding that is unbiased on average: 2.3 → 2 (70%) or 3 (30%). */
export function stochasticRound(state: { rng: number }, x: number): number {
  if (x <= 0) return 0;
  const f = Math.floor(x);
  const frac = x - f;
  if (frac === 0) return f;
  return nextRandom(state) < frac ? f + 1 : f;
}

/** Hash a seed into a non-zero starting state. */
export function seedState(seed: number): number {
  let h = (seed | 0) ^ 0x9e3779b9;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
