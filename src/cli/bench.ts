/**
 * Speed of the memory engine: simulated seconds per wall-clock second.
 * Prints medians of several runs. Goals: the whole `seed` scenario ≥ 10,000×;
 * an 8 GiB machine with 64 containers ≥ 1,000×.
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

for (const [name, fn, goal] of [
  [`seed scenario (990 MiB, 4 labs, ${getScenario('seed')!.duration.toLocaleString('en-US')} s simulated)`, benchSeed, 10000],
  ['8 GiB, 64 containers (600 s simulated)', benchBig, 1000],
] as const) {
  fn(); // warm-up
  const speeds: number[] = [];
  const walls: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { wall, simulated } = time(fn);
    speeds.push(simulated / wall);
    walls.push(wall);
  }
  const sp = median(speeds);
  console.log(
    `${name}: median ${Math.round(sp).toLocaleString('en-US')}× real time ` +
      `(median wall ${(median(walls) * 1000).toFixed(0)} ms over ${RUNS} runs; goal ≥ ${goal.toLocaleString('en-US')}×: ${sp >= goal ? 'met' : 'NOT met'})`,
  );
}
