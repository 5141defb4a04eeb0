/**
 * Chapter 8, Diagnosing a real box. Its captures are the engine's (the /explain/
 * examples, src/lib/explain-examples.ts) and every figure the prose quotes about
 * them is read back through the same parsers and diagnosis /explain/ uses, so
 * the chapter says what the page will say. Figure 8.1 is the `thrashing` preset.
 */
import type { FactFn } from '../facts';
import { boot, run, act, free, median, grouped } from './helpers';
import { explainExample, simBasis } from '../explain-examples';
import { simulatorLink } from '../explain-link';
import { badness, diagnose, parseCapture, type DmesgBlock, type FreeBlock, type PsiBlock, type VmstatBlock } from '../../engine/parse';
import { formatFreeMiB } from '../../engine/format/free';
import { formatVmstat } from '../../engine/format/vmstat';
import type { VmstatRow } from '../../engine/format/types';

const read = (id: string) => parseCapture(explainExample(id).text);
const block = <B>(id: string) => read(id).blocks[0]!.block as B;
const verdict = (id: string) => diagnose(read(id)).verdict!;

function thrashRows(): Record<string, number>[] {
  const b = block<VmstatBlock>('vmstat');
  return b.firstIsSinceBoot ? b.rows.slice(1) : b.rows;
}

function report() {
  const d = block<DmesgBlock>('oom-report');
  const r = d.reports.find((x) => x.tasks.length)!;
  return { r, bad: badness(r) };
}

let figureCache: { before: string; beforeAvailable: number; afterVerdict: string; afterBi: number; afterWa: number } | undefined;

/** Figure 8.1 as the reader drives it: read free at the start, then add the fourth lab and run vmstat for a minute. */
function figure() {
  if (figureCache) return figureCache;
  const b = boot('thrashing');
  const f = free(b);
  const calm = diagnose(parseCapture(`$ free -m\n${formatFreeMiB(f, b.freeEra)}`)).verdict!;
  act(b, { type: 'startContainer', profile: 'dhbox-lab', restart: 'unless-stopped' });
  const rows: VmstatRow[] = [];
  let since = b.m.counters();
  for (let s = 1; s <= 60; s++) {
    run(b, 1);
    if (s % 5 === 0) {
      rows.push(b.m.vmstat(since));
      since = b.m.counters();
    }
  }
  const late = rows.slice(-6);
  const after = diagnose(parseCapture(`$ vmstat 5\n${formatVmstat(late)}`)).verdict!;
  figureCache = {
    before: calm.title,
    beforeAvailable: f.available,
    afterVerdict: after.title,
    afterBi: median(late.slice(1).map((r) => r.bi)),
    afterWa: median(late.slice(1).map((r) => r.wa)),
  };
  return figureCache;
}

export const facts: Record<string, FactFn> = {
  'diagnosing.calm-available-mib': () => Math.floor(block<FreeBlock>('free').figures.available! / 1024),
  'diagnosing.calm-free-mib': () => Math.floor(block<FreeBlock>('free').figures.free / 1024),
  'diagnosing.calm-verdict': () => verdict('free').title,
  'diagnosing.thrashing-available-mib': () => Math.floor(block<FreeBlock>('free-thrashing').figures.available! / 1024),
  'diagnosing.thrashing-available-pct': () => {
    const f = block<FreeBlock>('free-thrashing').figures;
    return Math.round((f.available! / f.total) * 100);
  },
  'diagnosing.thrashing-bi': () => grouped(median(thrashRows().map((r) => r.bi!))),
  'diagnosing.thrashing-wa': () => median(thrashRows().map((r) => r.wa!)),
  'diagnosing.thrashing-b-max': () => Math.max(...thrashRows().map((r) => r.b!)),
  'diagnosing.thrashing-cache-mib': () => Math.round(median(thrashRows().map((r) => r.cache!)) / 1024),
  'diagnosing.vmstat-verdict': () => verdict('vmstat').title,
  'diagnosing.psi-some-avg10': () => Math.round(block<PsiBlock>('pressure').some!.avg10),
  'diagnosing.psi-full-avg10': () => Math.round(block<PsiBlock>('pressure').full!.avg10),
  'diagnosing.psi-verdict': () => verdict('pressure').title,
  'diagnosing.kill-count': () => block<DmesgBlock>('oom-loop').kills.length,
  'diagnosing.kill-pids': () => new Set(block<DmesgBlock>('oom-loop').kills.map((k) => k.pid)).size,
  'diagnosing.loop-verdict': () => verdict('oom-loop').title,
  'diagnosing.report-candidates': () => report().r.tasks.length,
  'diagnosing.report-victim': () => {
    const { bad } = report();
    return `${bad.ranking[0]!.task.name} (PID ${bad.ranking[0]!.task.pid})`;
  },
  'diagnosing.report-victim-points': () => grouped(report().bad.ranking[0]!.points),
  'diagnosing.report-runner-up': () => {
    const x = report().bad.ranking[1]!;
    return `${x.task.name} (PID ${x.task.pid})`;
  },
  'diagnosing.report-runner-up-points': () => grouped(report().bad.ranking[1]!.points),
  'diagnosing.report-exempt': () => report().bad.exempt.length,
  'diagnosing.ps-next': () => {
    const f = diagnose(read('ps')).findings[0]!;
    return /highest oom_score: (.+) \(PID/.exec(f.evidence[1] ?? '')![1]!;
  },
  'diagnosing.sim-labs': () => {
    const c = read('free-thrashing');
    return simulatorLink(diagnose(c).machine, simBasis())!.labs;
  },
  'diagnosing.figure-before-verdict': () => figure().before.replace(/:.*/, '').toLowerCase(),
  'diagnosing.figure-before-available': () => figure().beforeAvailable,
  'diagnosing.figure-after-verdict': () => figure().afterVerdict,
  'diagnosing.figure-after-bi': () => grouped(figure().afterBi),
  'diagnosing.figure-after-wa': () => figure().afterWa,
};
