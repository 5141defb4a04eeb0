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
  'four-labs': {
    name: 'four-labs',
    title: 'Four labs, no defence',
    description: 'The incident box with its three labs running; the fourth starts ten seconds in, and with no limit and nothing watching, the whole box thrashes and the kernel kills notebook servers in a loop.',
    scenario: 'four-labs',
    start: 440,
    scripted: true,
    speed: 5,
    panels: ['memory', 'io', 'ls', 'dmesg', 'cgroups'],
    controls: ['labs', 'killall'],
    chapter: 'keeping-a-box-alive',
  },
  'lab-limits': {
    name: 'lab-limits',
    title: 'Four labs, memory.max 200 MiB each',
    description: 'The same box and the same four labs, each started with docker run -m 200m: the kills become memory cgroup kills, each inside one lab, and the box itself stays responsive.',
    scenario: 'lab-limits',
    start: 440,
    scripted: true,
    speed: 5,
    panels: ['memory', 'io', 'ls', 'dmesg', 'cgroups'],
    controls: ['killall'],
    chapter: 'keeping-a-box-alive',
  },
  'memory-high': {
    name: 'memory-high',
    title: 'memory.high throttles instead of killing',
    description: 'A leaking batch job with memory.high at 200 MiB beside a lab on a 2 GiB box: it is made to reclaim and sleep past its high mark, its own pressure climbs, and nothing is killed. Raise or lower its memory.high and memory.max in the cgroups panel.',
    scenario: 'memory-high',
    start: 110,
    scripted: true,
    speed: 5,
    panels: ['memory', 'cgroups', 'dmesg', 'events'],
    controls: ['killall'],
    chapter: 'keeping-a-box-alive',
  },
  earlyoom: {
    name: 'earlyoom',
    title: 'earlyoom, no swap',
    description: 'The incident box with earlyoom running: the fourth lab starts ten seconds in, and earlyoom kills the process with the highest oom_score as soon as available memory reaches 10 %. Give the box swap and watch it stop.',
    scenario: 'earlyoom',
    start: 440,
    scripted: true,
    speed: 5,
    panels: ['memory', 'ls', 'free', 'events'],
    controls: ['swap', 'responders'],
    chapter: 'keeping-a-box-alive',
  },
  'earlyoom-swap': {
    name: 'earlyoom-swap',
    title: 'earlyoom with 1 GiB of swap',
    description: 'The same box, labs and earlyoom, with a 1 GiB swap file: idle pages go to swap, free swap stays far above 10 %, and earlyoom never acts.',
    scenario: 'earlyoom-swap',
    start: 440,
    scripted: true,
    speed: 5,
    panels: ['memory', 'ls', 'free', 'events'],
    controls: ['swap', 'responders'],
    chapter: 'keeping-a-box-alive',
  },
  oomd: {
    name: 'oomd',
    title: 'systemd-oomd kills a whole lab',
    description: 'The incident box with systemd-oomd watching the containers’ slice: after the fourth lab starts, pressure stays above 60 % for 30 s and oomd kills one whole lab at once.',
    scenario: 'oomd',
    start: 440,
    scripted: true,
    speed: 5,
    panels: ['memory', 'psi', 'docker', 'cgroups', 'events'],
    controls: ['responders', 'killall'],
    chapter: 'keeping-a-box-alive',
  },
  kubelet: {
    name: 'kubelet',
    title: 'The kubelet evicts a BestEffort pod',
    description: 'The four labs as Kubernetes pods of three QoS classes: when memory.available falls under 100 MiB, the kubelet evicts a BestEffort pod, which is Evicted, not OOMKilled.',
    scenario: 'kubelet',
    start: 440,
    scripted: true,
    speed: 5,
    panels: ['memory', 'docker', 'cgroups', 'events'],
    controls: ['killall'],
    chapter: 'keeping-a-box-alive',
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
    chapter: 'keeping-a-box-alive',
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
