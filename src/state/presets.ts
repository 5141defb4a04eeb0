/**
 * What each simulator preset shows: which engine scenario it boots, which panels
 * and controls its chapter explains. The playground shows everything.
 */

export type PanelId = 'memory' | 'lru' | 'io' | 'cpu' | 'free' | 'vmstat' | 'dmesg' | 'psi' | 'procs' | 'docker' | 'cgroups' | 'ls' | 'events';

export type ControlId =
  | 'labs'
  | 'add'
  | 'swap'
  | 'swappiness'
  | 'ram'
  | 'restart'
  | 'limit'
  | 'drop'
  | 'read'
  | 'app'
  | 'killall'
  | 'responders'
  | 'timeline';

export interface UiPreset {
  name: string;
  /** Short title for the simulator header and the embed page. */
  title: string;
  /** One sentence on what it shows, for the embed page and link previews. */
  description: string;
  /** The engine scenario it boots (src/engine/scenarios). */
  scenario: string;
  /** Simulated second at which the reader takes over (the scenario runs to here first). */
  start: number;
  /** Whether the scenario's later scripted actions keep happening (a replay) or the reader drives. */
  scripted: boolean;
  /** Initial speed: how many simulated seconds pass per second. */
  speed: number;
  /**
   * Slow to boot (a long scripted run before the start): the page carries the
   * starting state, and the browser works it out again in slices after loading.
   */
  heavy?: boolean;
  panels: readonly PanelId[];
  controls: readonly ControlId[];
  /** The chapter that explains it, for "open in the guide". */
  chapter: string;
}

export const ALL_PANELS: readonly PanelId[] = ['memory', 'lru', 'io', 'cpu', 'ls', 'free', 'vmstat', 'psi', 'dmesg', 'procs', 'docker', 'cgroups', 'events'];
export const ALL_CONTROLS: readonly ControlId[] = ['labs', 'add', 'swap', 'swappiness', 'ram', 'restart', 'limit', 'drop', 'read', 'app', 'killall', 'responders'];

export const PRESETS: Record<string, UiPreset> = {
  'page-cache': {
    name: 'page-cache',
    title: 'The page cache fills up',
    description: 'A freshly booted 990 MiB box: start the web app and read files, watch buff/cache grow, drop it and watch the disk read it back.',
    scenario: 'page-cache',
    start: 30,
    scripted: false,
    speed: 2,
    panels: ['memory', 'free', 'vmstat', 'lru', 'events'],
    controls: ['app', 'read', 'drop', 'swap'],
    chapter: 'page-cache',
  },
  eviction: {
    name: 'eviction',
    title: 'Eviction as containers start',
    description: 'Start Jupyter lab containers one at a time on a 990 MiB box with no swap, and watch reclaim take memory from the page cache.',
    scenario: 'eviction',
    start: 85,
    scripted: false,
    speed: 5,
    panels: ['memory', 'lru', 'free', 'vmstat', 'events'],
    controls: ['labs', 'drop', 'swap'],
    chapter: 'eviction',
  },
  thrashing: {
    name: 'thrashing',
    title: 'Thrashing',
    description: 'Three labs run on a 990 MiB box with no swap; add the fourth and watch the disk pin at its limit while the CPU waits.',
    scenario: 'thrashing',
    start: 440,
    scripted: false,
    speed: 2,
    panels: ['io', 'cpu', 'ls', 'vmstat', 'psi', 'free'],
    controls: ['labs', 'swap'],
    chapter: 'thrashing',
  },
  'oom-loop': {
    name: 'oom-loop',
    title: 'The OOM killer in a loop',
    description: 'Four labs on a 990 MiB box: the OOM killer fires, a supervisor restarts the victim, and the loop goes on until you intervene.',
    scenario: 'oom-loop',
    start: 600,
    scripted: false,
    speed: 5,
    heavy: true,
    panels: ['dmesg', 'procs', 'docker', 'events', 'free'],
    controls: ['labs', 'swap', 'killall'],
    chapter: 'oom-killer',
  },
  swap: {
    name: 'swap',
    title: 'The same box with swap',
    description: 'Three labs on a 990 MiB box with a 1 GiB swap file; add the fourth and watch idle memory go to swap (so) instead of code being read back again and again.',
    scenario: 'swap',
    start: 440,
    scripted: false,
    speed: 2,
    panels: ['memory', 'io', 'cpu', 'ls', 'vmstat', 'free', 'events'],
    controls: ['labs', 'swap', 'swappiness'],
    chapter: 'swap',
  },
  'memory-limits': {
    name: 'memory-limits',
    title: 'Memory limits keep the damage inside a container',
    description: 'Two labs and a batch job limited to 256 MiB on a 2 GiB box: the job is killed inside its own memory cgroup again and again, Docker restarts it each time, and the labs carry on.',
    scenario: 'memory-limits',
    start: 100,
    scripted: true,
    speed: 5,
    panels: ['memory', 'dmesg', 'docker', 'cgroups', 'events'],
    controls: ['add', 'restart', 'limit', 'responders', 'killall'],
    chapter: '',
  },
  incident: {
    name: 'incident',
    title: 'The incident, replayed',
    description: 'The whole incident on the simulated box: boot, the web app, four lab containers, thrashing, OOM kills, and docker kill.',
    scenario: 'seed',
    start: 60,
    scripted: true,
    speed: 10,
    panels: ['memory', 'io', 'cpu', 'ls', 'free', 'vmstat', 'dmesg', 'procs', 'events'],
    controls: ['timeline', 'killall'],
    chapter: 'reading-free',
  },
  playground: {
    name: 'playground',
    title: 'Playground',
    description: 'The whole simulated box: every panel and every control.',
    scenario: 'eviction',
    start: 85,
    scripted: false,
    speed: 5,
    panels: ALL_PANELS,
    controls: ALL_CONTROLS,
    chapter: '',
  },
};

export const PRESET_NAMES = Object.keys(PRESETS);

export function uiPreset(name: string): UiPreset {
  const p = PRESETS[name];
  if (!p) throw new Error(`unknown simulator preset "${name}" (known: ${PRESET_NAMES.join(', ')})`);
  return p;
}
