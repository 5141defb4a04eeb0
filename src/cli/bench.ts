/**
 * Speed of the memory engine: simulated seconds per wall-clock second.
 * Prints medians of several runs. Goals: the whole `seed` scenario ≥ 10,000×;
 * an 8 GiB machine with 64 containers ≥ 1,000×; and a cost that grows with the
 * box, not with its square: 512 containers on 64 GiB step 600 s in at most 2.5×
 * the wall time of 256.
 */
import { createState, applyAction } from '../engine/machine';
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

function measure(fn: () => number, runs: number): { speed: number; wall: number } {
  fn(); // warm-up
  const speeds: number[] = [];
  const walls: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { wall, simulated } = time(fn);
    speeds.push(simulated / wall);
    walls.push(wall);
  }
  return { speed: median(speeds), wall: median(walls) };
}

const line = (name: string, r: { speed: number; wall: number }, runs: number, goal?: number) =>
  `${name}: median ${Math.round(r.speed).toLocaleString('en-US')}× real time ` +
  `(median wall ${(r.wall * 1000).toFixed(0)} ms over ${runs} runs` +
  (goal === undefined ? ')' : `; goal ≥ ${goal.toLocaleString('en-US')}×: ${r.speed >= goal ? 'met' : 'NOT met'})`);

for (const [name, fn, goal] of [
  [`seed scenario (990 MiB, 4 labs, ${getScenario('seed')!.duration.toLocaleString('en-US')} s simulated)`, benchSeed, 10000],
  ['8 GiB, 64 containers (600 s simulated)', benchBig, 1000],
] as const) {
  console.log(line(name, measure(fn, RUNS), RUNS, goal));
}

const SCALE_RUNS = 5;
const r256 = measure(() => benchScale(256), SCALE_RUNS);
console.log(line('64 GiB, 256 containers (600 s simulated)', r256, SCALE_RUNS));
const r512 = measure(() => benchScale(512), SCALE_RUNS);
console.log(line('64 GiB, 512 containers (600 s simulated)', r512, SCALE_RUNS));
const ratio = r512.wall / r256.wall;
console.log(`512 containers cost ${ratio.toFixed(2)}× the time of 256 (goal ≤ 2.5×: ${ratio <= 2.5 ? 'met' : 'NOT met'})`);
