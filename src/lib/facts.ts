/**
 * Figures the chapters quote, each computed by running the engine at build time.
 * A chapter writes <Fact name="…" />; an unknown name fails the build. Each
 * chapter keeps its facts in src/lib/facts/<chapter-slug>.ts.
 */
import { facts as pageCache } from './facts/page-cache';
import { facts as eviction } from './facts/eviction';
import { facts as thrashing } from './facts/thrashing';
import { facts as oomKiller } from './facts/oom-killer';
import { facts as diagnosing } from './facts/diagnosing';
import { facts as swap } from './facts/swap';
import { facts as defences } from './facts/defences';

export type FactFn = () => string | number;

const FACTS: Record<string, FactFn> = { ...pageCache, ...eviction, ...thrashing, ...oomKiller, ...swap, ...defences, ...diagnosing };

const cache = new Map<string, string>();

export function factNames(): string[] {
  return Object.keys(FACTS);
}

export function fact(name: string): string {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const fn = FACTS[name];
  if (!fn) throw new Error(`unknown fact "${name}" (define it in src/lib/facts/)`);
  const value = String(fn());
  cache.set(name, value);
  return value;
}
