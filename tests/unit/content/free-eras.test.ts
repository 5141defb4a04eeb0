/**
 * "used" means total − available in the simulator's free panel (procps-ng 4.0.1
 * and later) and total − free − buff/cache in the incident's transcripts (its
 * procps-ng 3.3). Every free panel says which, and prose that quotes the
 * incident's used beside the simulator's figures says which kind it quotes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freeEraLabel } from '../../../src/engine/format/free';
import { freeEraNote } from '../../../src/lib/engine-output';

describe('free eras', () => {
  it('label each era with its own formula for used', () => {
    expect(freeEraLabel('modern')).toContain('used = total − available');
    expect(freeEraLabel('classic')).toContain('used = total − free − buff/cache');
    expect(freeEraNote('seed')).toBe(freeEraLabel('classic'));
    expect(freeEraNote('eviction')).toBe(freeEraLabel('modern'));
  });

  it('are named by every component that prints free', () => {
    for (const file of ['EngineOutput.astro', 'FreeOutput.astro', 'FreeSnapshots.astro']) {
      const src = readFileSync(`src/components/mdx/${file}`, 'utf8');
      expect(src, file).toMatch(/freeEra(Label|Note)\(/);
    }
    const sim = readFileSync('src/components/sim/Simulator.svelte', 'utf8');
    expect(sim).toContain('{f.freeEraNote}');
  });

  it('are said in chapter 3 where the incident’s used sits beside the simulator’s figures', () => {
    const ch3 = readFileSync('content/chapters/03-eviction.mdx', 'utf8');
    const first = ch3.split(/\n\s*\n/).find((p) => p.includes('350 MiB used'))!;
    expect(first).toContain('total − free − buff/cache');
  });
});
