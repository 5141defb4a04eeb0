/**
 * Chapter 4, Thrashing. Figure 4.1 is the `thrashing` preset: three labs at
 * t=440, and the reader moves the "Lab containers running" slider to four,
 * which starts a dhbox-lab with restart=unless-stopped (Controls.svelte
 * setLabs). The figure facts replay exactly that; the seed facts read the
 * incident's run, where the chapter quotes its EngineOutput blocks.
 */
import type { FactFn } from '../facts';
import type { VmstatRow } from '../../engine/format/types';
import { boot, act, run, median, grouped } from './helpers';
import { scenarioRun, markTime } from '../engine-output';
import { getScenario } from '../../engine';

const PRESET = 'thrashing';
/** The figure's "thrashing" stretch: from this long after the fourth lab starts… */
const SETTLED_FROM = 10;
/** …to this long after (the first OOM kill in the figure comes later). */
const SETTLED_TO = 60;
/** The PSI try-this: "watch for a minute". */
const WATCH = 60;

interface FigureRun {
  lsThreeLabs: number[];
  lsFourLabs: number[];
  rows: VmstatRow[];
  psiAfterMinute: ReturnType<ReturnType<typeof boot>['m']['psi']>;
  readMiBps: number;
  /** KiB read from disk (pgpgin) and major faults over the settled stretch. */
  readKiB: number;
  majorFaults: number;
}

let figureCache: FigureRun | undefined;

/** The figure as the reader drives it: a minute with three labs, then (from the start) the slider moved to four. */
function figure(): FigureRun {
  if (figureCache) return figureCache;
  // Three labs, left alone for a minute: the gauge's value each second.
  const three = boot(PRESET);
  const lsThreeLabs: number[] = [];
  for (let s = 0; s < 60; s++) {
    run(three, 1);
    lsThreeLabs.push(three.m.lsSeconds());
  }
  if (three.m.oomKillCount()) throw new Error('an OOM kill with three labs: the figure changed');

  // The slider moved from 3 to 4 as soon as the figure starts.
  const b = boot(PRESET);
  const labsBefore = b.m.state.containers.filter((c) => c.profile === 'dhbox-lab' && c.state === 'running').length;
  if (labsBefore !== 3) throw new Error(`the thrashing preset starts with ${labsBefore} labs, not 3`);
  act(b, { type: 'startContainer', profile: 'dhbox-lab', restart: 'unless-stopped' });
  const lsFourLabs: number[] = [];
  const rows: VmstatRow[] = [];
  let psiAfterMinute: FigureRun['psiAfterMinute'] | undefined;
  let since = b.m.counters();
  let settledFrom = since;
  for (let s = 1; s <= SETTLED_TO; s++) {
    run(b, 1);
    if (s === SETTLED_FROM) settledFrom = b.m.counters();
    if (s === WATCH) psiAfterMinute = b.m.psi();
    if (s % 5 === 0) {
      if (s > SETTLED_FROM) rows.push(b.m.vmstat(since));
      since = b.m.counters();
    }
    if (s >= SETTLED_FROM) lsFourLabs.push(b.m.lsSeconds());
  }
  if (b.m.oomKillCount()) throw new Error('an OOM kill inside the settled stretch: shorten SETTLED_TO');
  const settledTo = b.m.counters();
  figureCache = {
    lsThreeLabs,
    lsFourLabs,
    rows,
    psiAfterMinute: psiAfterMinute!,
    readMiBps: b.m.state.config.disk.readMiBps,
    readKiB: settledTo.pgpgin - settledFrom.pgpgin,
    majorFaults: settledTo.pgmajfault - settledFrom.pgmajfault,
  };
  return figureCache;
}

/** The vmstat rows `<EngineOutput scenario="seed" at="container-4" command="vmstat 5" />` prints. */
function seedRows(): VmstatRow[] {
  const t = markTime('seed', 'container-4');
  return scenarioRun('seed')
    .samples.filter((s) => s.t <= t + 1e-9)
    .slice(-6)
    .map((s) => s.vmstat);
}

/** The PSI sample `<EngineOutput … command="cat /proc/pressure/memory" />` prints at container-4. */
function seedPsi() {
  const t = markTime('seed', 'container-4');
  return scenarioRun('seed').samples.filter((s) => s.t <= t + 1e-9).at(-1)!.psi;
}

/** When the incident's scripted fourth lab starts. */
function seedFourthLab(): number {
  const sc = getScenario('seed')!;
  const labs = sc.timeline.filter((a) => a.action.type === 'startContainer').sort((a, b) => a.t - b.t);
  return labs[3]!.t;
}

export const facts: Record<string, FactFn> = {
  /** The ls gauge with three labs, as it prints (whole ms). */
  'thrashing.ls-three-labs': () => Math.round(median(figure().lsThreeLabs) * 1000),
  /** The ls gauge with four labs, 10–90 s after the slider moves: median, as it prints (s, one decimal). */
  'thrashing.ls-four-labs': () => median(figure().lsFourLabs).toFixed(1),
  'thrashing.ls-four-labs-low': () => Math.min(...figure().lsFourLabs).toFixed(1),
  'thrashing.ls-four-labs-high': () => Math.max(...figure().lsFourLabs).toFixed(1),
  /** The model disk's read limit, MiB/s. */
  'thrashing.disk-read-limit': () => figure().readMiBps,
  /** The same limit in vmstat's 1 KiB blocks per second. */
  'thrashing.disk-read-limit-blocks': () => grouped(figure().readMiBps * 1024),
  /** Figure 4.1's vmstat bi and wa once the fourth lab runs. */
  'thrashing.bi-blocks': () => grouped(median(figure().rows.map((r) => r.bi))),
  'thrashing.wa': () => median(figure().rows.map((r) => r.wa)),
  /** Figure 4.1 once the fourth lab runs: KiB read per major fault (read-around makes it more than one 4 KiB page). */
  'thrashing.kib-per-major-fault': () => {
    const { readKiB, majorFaults } = figure();
    if (majorFaults <= 0) throw new Error('no major faults while the figure thrashes');
    return Math.round(readKiB / majorFaults);
  },
  /** Figure 4.1's PSI panel a minute after the fourth lab starts. */
  'thrashing.psi-some-avg10': () => Math.round(figure().psiAfterMinute.some.avg10),
  'thrashing.psi-full-avg10': () => Math.round(figure().psiAfterMinute.full.avg10),
  'thrashing.psi-some-avg300': () => Math.round(figure().psiAfterMinute.some.avg300),
  /** The incident's run (seed), the vmstat rows the chapter prints at container-4. */
  'thrashing.seed-bi-blocks': () => grouped(median(seedRows().map((r) => r.bi))),
  'thrashing.seed-wa': () => median(seedRows().map((r) => r.wa)),
  'thrashing.seed-sy': () => median(seedRows().map((r) => r.sy)),
  /** How long after the fourth lab's start the chapter's seed EngineOutput blocks are taken (mark container-4). */
  'thrashing.seed-mark-seconds': () => Math.round(markTime('seed', 'container-4') - seedFourthLab()),
  /** The PSI the chapter prints at container-4 in the incident's run. */
  'thrashing.seed-psi-some-avg10': () => Math.round(seedPsi().some.avg10),
  'thrashing.seed-psi-full-avg10': () => Math.round(seedPsi().full.avg10),
  /** Seconds from the fourth lab's start to the first OOM kill, in the incident's run. */
  'thrashing.seconds-to-first-kill': () => {
    const first = scenarioRun('seed').final.ooms[0];
    if (first?.killT === undefined) throw new Error('no OOM kill in the seed run');
    return Math.round(first.killT - seedFourthLab());
  },
};
