/**
 * Speed of the memory engine: simulated seconds per wall-clock second.
 * Prints medians of several runs. Goals: the whole `seed` scenario ≥ 10,000×;
 * an 8 GiB machine with 64 containers ≥ 1,000×; and a cost that grows with the
 * box, not with its square: 512 containers on 64 GiB step 600 s in at most 2.5×
 * the time of 256 (CPU time: the two sizes run in turns, and the ratio of their
 * median CPU times holds on a machine that others keep busy; wall times are printed too).
 *
 * `--state` measures instead how big the state gets (it takes minutes): the oom-loop
 * preset left killing for 86,400 simulated seconds, and 200 labs with restart=always
 * started by link actions; JSON.stringify(toJSON()) must stay ≤ 20 MB, and a machine
 * read back with fromJSON must run the next 60 s exactly as the original does.
 */
import { isDeepStrictEqual } from 'node:util';
import { createState, applyAction } from '../engine/machine';
import { Machine } from '../engine/index';
import { uiPreset } from '../state/presets';
import { runUntil } from '../engine/run';
import { runScenario } from '../engine/run';
import { getScenario } from '../engine/scenarios/index';
import type { TimedAction } from '../engine/model';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => number): { wall: number; simulated: number } {
  const t0 = performance.now();
  const simulated = fn();
  return { wall: (performance.now() - t0) / 1000, simulated };
}

const RUNS = 7;

function benchSeed(): number {
  const sc = getScenario('seed')!;
  const r = runScenario(sc);
  return r.final.t;
}

function benchBig(): number {
  const m = createState({ ramMiB: 8192, swapMiB: 0, cpus: 4, seed: 1 });
  const profiles = ['dhbox-lab', 'web-app', 'idle-service', 'web-app'];
  const timeline: TimedAction[] = [];
  for (let i = 0; i < 64; i++) {
    timeline.push({ t: 1 + i * 2, action: { type: 'startContainer', profile: profiles[i % profiles.length]!, name: `c${i}`, restart: 'always' } });
  }
  applyAction(m, { type: 'startApp', app: 'dhbox-web' });
  const until = 600;
  runUntil(m, until, timeline);
  return until;
}

/** A 64 GiB, 16-CPU box with `n` containers (the 8 GiB mix) started over its first two minutes, run for 600 s. */
function benchScale(n: number): number {
  const m = createState({ ramMiB: 65536, swapMiB: 0, cpus: 16, seed: 1 });
  const profiles = ['dhbox-lab', 'web-app', 'idle-service', 'web-app'];
  const timeline: TimedAction[] = [];
  for (let i = 0; i < n; i++) {
    timeline.push({ t: 1 + Math.floor((i * 1200) / n) / 10, action: { type: 'startContainer', profile: profiles[i % profiles.length]!, name: `c${i}`, restart: 'always' } });
  }
  applyAction(m, { type: 'startApp', app: 'dhbox-web' });
  const until = 600;
  runUntil(m, until, timeline);
  return until;
}

function measure(fn: () => number, runs: number): { speed: number; wall: number; cpu: number } {
  fn(); // warm-up
  const speeds: number[] = [];
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = cpuSeconds();
    const { wall, simulated } = time(fn);
    cpus.push(cpuSeconds() - c0);
    speeds.push(simulated / wall);
    walls.push(wall);
  }
  return { speed: median(speeds), wall: median(walls), cpu: median(cpus) };
}

/** This process's CPU seconds so far (a busy machine stretches wall time, hardly this). */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

const line = (name: string, r: { speed: number; wall: number; cpu: number }, runs: number, goal?: number) =>
  `${name}: median ${Math.round(r.speed).toLocaleString('en-US')}× real time ` +
  `(median wall ${(r.wall * 1000).toFixed(0)} ms, CPU ${(r.cpu * 1000).toFixed(0)} ms, over ${runs} runs` +
  (goal === undefined ? ')' : `; goal ≥ ${goal.toLocaleString('en-US')}×: ${r.speed >= goal ? 'met' : 'NOT met'})`);

/** A preset as the simulator boots it: its scenario's actions up to where the reader takes over. */
function preset(name: string): Machine {
  const ui = uiPreset(name);
  const sc = getScenario(ui.scenario)!;
  const m = new Machine(sc.machine);
  m.schedule(sc.timeline.filter((a) => a.t <= ui.start));
  return m;
}

function stateSize(name: string, m: Machine, until: number): void {
  const t0 = performance.now();
  m.runUntil(until);
  const ran = (performance.now() - t0) / 1000;
  const j0 = performance.now();
  const json = JSON.stringify(m.toJSON());
  const jsonMs = performance.now() - j0;
  const copy = Machine.fromJSON(JSON.parse(json));
  m.step(60);
  copy.step(60);
  const same = isDeepStrictEqual(copy.toJSON(), m.toJSON());
  const mb = json.length / 1e6;
  console.log(
    `${name}: t=${until.toLocaleString('en-US')} s, ${m.oomKillCount().toLocaleString('en-US')} OOM kills (${m.oomKills().length} reports in the log), ` +
      `${m.eventCount().toLocaleString('en-US')} events (${m.events().length} kept); toJSON ${mb.toFixed(2)} MB in ${jsonMs.toFixed(0)} ms ` +
      `(goal ≤ 20 MB: ${mb <= 20 ? 'met' : 'NOT met'}); fromJSON then 60 s ${same ? 'equals' : 'DIFFERS FROM'} the uninterrupted run; ran in ${ran.toFixed(0)} s`,
  );
}

if (process.argv.includes('--state')) {
  stateSize('oom-loop preset, left killing', preset('oom-loop'), 86400);
  const labs = preset('playground');
  const start = uiPreset('playground').start;
  labs.runUntil(start);
  labs.schedule(Array.from({ length: 200 }, (_, i): TimedAction => ({ t: start + i, action: { type: 'startContainer', profile: 'dhbox-lab', restart: 'always' } })));
  stateSize('200 labs, restart=always, one a second from the playground', labs, start + 300);
  process.exit(0);
}

for (const [name, fn, goal] of [
  [`seed scenario (990 MiB, 4 labs, ${getScenario('seed')!.duration.toLocaleString('en-US')} s simulated)`, benchSeed, 10000],
  ['8 GiB, 64 containers (600 s simulated)', benchBig, 1000],
] as const) {
  console.log(line(name, measure(fn, RUNS), RUNS, goal));
}

// The two sizes run in turns, so a busy machine slows both alike; the ratio is taken of
// median CPU times, which another process's load barely moves.
const SCALE_RUNS = 5;
const scale: Record<256 | 512, { speeds: number[]; walls: number[]; cpus: number[] }> = {
  256: { speeds: [], walls: [], cpus: [] },
  512: { speeds: [], walls: [], cpus: [] },
};
benchScale(256); // warm-up
for (let i = 0; i < SCALE_RUNS; i++) {
  for (const n of [256, 512] as const) {
    const c0 = cpuSeconds();
    const { wall, simulated } = time(() => benchScale(n));
    scale[n].cpus.push(cpuSeconds() - c0);
    scale[n].walls.push(wall);
    scale[n].speeds.push(simulated / wall);
  }
}
for (const n of [256, 512] as const) {
  console.log(line(`64 GiB, ${n} containers (600 s simulated)`, { speed: median(scale[n].speeds), wall: median(scale[n].walls), cpu: median(scale[n].cpus) }, SCALE_RUNS));
}
const ratio = median(scale[512].cpus) / median(scale[256].cpus);
const wallRatio = median(scale[512].walls) / median(scale[256].walls);
console.log(`512 containers cost ${ratio.toFixed(2)}× the CPU time of 256 (${wallRatio.toFixed(2)}× the wall time) (goal ≤ 2.5×: ${ratio <= 2.5 ? 'met' : 'NOT met'})`);
