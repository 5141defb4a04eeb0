/**
 * "Open this in the simulator": the link carries the pasted box's RAM, swap and
 * swappiness, about as much memory in use as lab containers can make, and says
 * where it is approximate. The link is read back with the site's own parser.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnose, parseCapture } from '../../../src/engine/parse';
import { simulatorLink } from '../../../src/lib/explain-link';
import { simBasis } from '../../../src/lib/explain-examples';
import { parseLink, LIMITS } from '../../../src/state/link';
import { PRESET_NAMES } from '../../../src/state/presets';
import { CONTAINER_PROFILE_NAMES } from '../../../src/engine/profiles';

const basis = simBasis();
const ctx = { presets: PRESET_NAMES, profiles: CONTAINER_PROFILE_NAMES, apps: ['dhbox-web'] };
const linkFor = (text: string) => simulatorLink(diagnose(parseCapture(text)).machine, basis);
const readBack = (href: string) => parseLink(new URL(href, 'http://x').search, ctx, basis.simId);

describe('the simulator link', () => {
  it('copies RAM, swap and swappiness from free and sysctl, and reads back without a notice', () => {
    const l = linkFor('$ free -m\n               total        used        free      shared  buff/cache   available\nMem:            1990         900         100          10         990        1200\nSwap:           1023           0        1023\n$ sysctl vm.swappiness\nvm.swappiness = 10\n')!;
    expect(l.link).toMatchObject({ preset: 'playground', ramMiB: 1990, swapMiB: 1023, swappiness: 10 });
    const back = readBack(l.href);
    expect(back.ignored).toEqual([]);
    expect(back.link).toMatchObject({ ramMiB: 1990, swapMiB: 1023, swappiness: 10 });
    expect(l.href.startsWith(`${basis.path}?sim.${basis.simId}=`)).toBe(true);
  });

  it('turns memory in use into lab containers, from the basis the engine computed', () => {
    const used = Math.round(basis.baseUsedMiB + 3 * basis.labMiB);
    const l = linkFor(`$ free -m\n               total        used        free      shared  buff/cache   available\nMem:            2000        ${used}         100          10         500        ${2000 - used}\nSwap:              0           0           0\n`)!;
    expect(l.labs).toBe(3);
    expect(l.link.actions?.map((a) => a.action)).toEqual(Array.from({ length: 3 }, () => ({ type: 'startContainer', profile: 'dhbox-lab' })));
    expect(readBack(l.href).link?.actions).toHaveLength(3);
    expect(l.notes.join(' ')).toMatch(/approximate/);
  });

  it('keeps RAM within what the simulator offers, and says so', () => {
    const meminfo = readFileSync(join(__dirname, 'fixtures/real/meminfo.txt'), 'utf8');
    const l = linkFor(meminfo)!;
    expect(l.link.ramMiB).toBe(LIMITS.ramMiB.max);
    expect(l.notes.join(' ')).toMatch(new RegExp(`${LIMITS.ramMiB.min} to ${LIMITS.ramMiB.max} MiB`));
    expect(readBack(l.href).ignored).toEqual([]);
  });

  it('is not offered when the paste does not say how much RAM the box has', () => {
    expect(linkFor('some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n')).toBeUndefined();
  });

  it('takes RAM from an OOM report: pages RAM less reserved', () => {
    const l = linkFor(readFileSync(join(__dirname, 'fixtures/oom/azure-5.14-global-modern.txt'), 'utf8'))!;
    expect(l.link.ramMiB).toBe(Math.round(((2097038 - 63576) * 4) / 1024));
    expect(l.link.swapMiB).toBe(0);
  });
});
