import type { Scenario } from './types';

/**
 * Chapter presets: small timelines that show one mechanism each. They boot the
 * same host as the incident (990 MiB unless said otherwise) and print modern
 * `free` and dmesg.
 */
const base = {
  freeEra: 'modern' as const,
  kernelEra: 'modern' as const,
  machine: { ramMiB: 990, swapMiB: 0, swappiness: 60, cpus: 1, seed: 1 },
};

const lab = (t: number, name: string, extra: object = {}) => ({
  t,
  action: { type: 'startContainer' as const, profile: 'dhbox-lab', name, ...extra },
});

/** The web app, then four labs two minutes apart, the fourth a little later: the road to thrashing. */
const webAppAndFourLabs = [
  { t: 30, action: { type: 'startApp' as const, app: 'dhbox-web' } },
  lab(60, 'lab1'),
  lab(180, 'lab2'),
  lab(300, 'lab3'),
  lab(450, 'lab4'),
];

export const PRESETS: Record<string, Scenario> = {
  'page-cache': {
    ...base,
    name: 'page-cache',
    title: 'Page cache warm-up: reading files fills buff/cache',
    description: 'Two large files are read; free memory turns into page cache, and "available" barely moves because cache can be given back.',
    topic: 'page-cache',
    duration: 240,
    timeline: [
      { t: 40, action: { type: 'readFile', mib: 200, name: '/data/corpus.txt' } },
      { t: 100, action: { type: 'readFile', mib: 150, name: '/data/images.tar' } },
      { t: 160, action: { type: 'readFile', mib: 200, name: '/data/corpus.txt' } },
    ],
    marks: [
      { name: 'cold', t: 30 },
      { name: 'after-first-read', t: 90 },
      { name: 'after-second-read', t: 150 },
      { name: 'reread-from-cache', t: 200 },
    ],
  },
  eviction: {
    ...base,
    name: 'eviction',
    title: 'Eviction: containers take memory from the page cache',
    description: 'Three lab containers start one after another; "used" grows, buff/cache shrinks as the kernel reclaims cache for them.',
    topic: 'eviction',
    duration: 420,
    timeline: [
      { t: 30, action: { type: 'startApp', app: 'dhbox-web' } },
      lab(90, 'lab1'),
      lab(210, 'lab2'),
      lab(330, 'lab3'),
    ],
    marks: [
      { name: 'app-started', t: 80 },
      { name: 'container-1', t: 200 },
      { name: 'container-2', t: 320 },
      { name: 'container-3', t: 415 },
    ],
  },
  thrashing: {
    ...base,
    name: 'thrashing',
    title: 'Thrashing: the disk re-reads code that was just evicted',
    description: 'A fourth lab container pushes the hot code of everything running out of memory: bi pins at the disk limit, wa near 90, ls takes seconds, and no OOM kill yet.',
    topic: 'thrashing',
    duration: 560,
    timeline: [
      ...webAppAndFourLabs,
    ],
    marks: [
      { name: 'three-labs', t: 440 },
      { name: 'thrashing', t: 500 },
      { name: 'still-thrashing', t: 545 },
    ],
  },
  'oom-loop': {
    ...base,
    name: 'oom-loop',
    title: 'The OOM kill loop: killed, restarted, killed again',
    description: 'Four labs on a 990 MiB box: after a long stretch of thrashing the OOM killer picks the biggest process, the notebook server; supervisord restarts it, and it is picked again.',
    topic: 'oom',
    duration: 1100,
    timeline: [
      ...webAppAndFourLabs,
      { t: 1050, action: { type: 'killAll' } },
    ],
    marks: [
      { name: 'thrashing', t: 500 },
      { name: 'killing', t: 800 },
      { name: 'killed-all', t: 1080 },
    ],
  },
  swap: {
    ...base,
    name: 'swap',
    title: 'Swap: idle memory goes to disk instead of hot code',
    description: 'The same four labs with a 1 GiB swap file and swappiness 60: pages of idle services are swapped out (so), leaving room for the code everything runs.',
    topic: 'swap',
    machine: { ...base.machine, swapMiB: 1024 },
    duration: 800,
    timeline: [
      ...webAppAndFourLabs,
    ],
    marks: [
      { name: 'three-labs', t: 440 },
      { name: 'four-labs', t: 520 },
      { name: 'later', t: 780 },
    ],
  },
  'memory-limits': {
    ...base,
    name: 'memory-limits',
    title: 'Memory limits: a cgroup OOM stays inside its container',
    description: 'Two labs limited to 400 MiB and a memory-hungry batch job limited to 256 MiB with restart=on-failure on a 2 GiB box: the job is OOM-killed inside its own cgroup every forty seconds or so, Docker restarts it each time, and no lab process is killed.',
    topic: 'memcg',
    machine: { ...base.machine, ramMiB: 2048 },
    duration: 400,
    timeline: [
      lab(30, 'lab1', { memLimitMiB: 400 }),
      lab(60, 'lab2', { memLimitMiB: 400 }),
      { t: 120, action: { type: 'startContainer', profile: 'batch-job', name: 'trainer', memLimitMiB: 256, restart: 'on-failure' } },
    ],
    marks: [
      { name: 'labs', t: 110 },
      { name: 'job-running', t: 140 },
      { name: 'after-kills', t: 390 },
    ],
  },
};
