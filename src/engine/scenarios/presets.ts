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
  'four-labs': {
    ...base,
    name: 'four-labs',
    title: 'Four labs and no defence',
    description: 'The incident as it happened: the web app and four labs on a 990 MiB box with no swap, no memory limits and nothing watching. The fourth lab starts the thrashing and the global OOM kill loop.',
    topic: 'defences',
    duration: 1000,
    timeline: [...webAppAndFourLabs],
    marks: [
      { name: 'three-labs', t: 440 },
      { name: 'four-labs', t: 600 },
      { name: 'later', t: 990 },
    ],
  },
  'lab-limits': {
    ...base,
    name: 'lab-limits',
    title: 'Four labs, each with memory.max 200 MiB',
    description: 'The same four labs, each started with docker run -m 200m: every kill is a memory cgroup kill inside one lab, and each lab reclaims and re-reads its own code at its limit.',
    topic: 'defences',
    duration: 1000,
    timeline: [
      { t: 30, action: { type: 'startApp' as const, app: 'dhbox-web' } },
      lab(60, 'lab1', { memLimitMiB: 200 }),
      lab(180, 'lab2', { memLimitMiB: 200 }),
      lab(300, 'lab3', { memLimitMiB: 200 }),
      lab(450, 'lab4', { memLimitMiB: 200 }),
    ],
    marks: [
      { name: 'three-labs', t: 440 },
      { name: 'four-labs', t: 600 },
      { name: 'later', t: 990 },
    ],
  },
  'memory-high': {
    ...base,
    name: 'memory-high',
    title: 'memory.high throttles a leak',
    description: 'A lab and a leaking batch job with memory.high at 200 MiB and no memory.max on a 2 GiB box: past its high mark the job is made to reclaim and sleep, so it grows slowly and stalls, and nothing is killed.',
    topic: 'defences',
    machine: { ...base.machine, ramMiB: 2048 },
    duration: 600,
    timeline: [
      lab(30, 'lab1'),
      { t: 120, action: { type: 'startContainer', profile: 'batch-job', name: 'trainer', memHighMiB: 200 } },
    ],
    marks: [
      { name: 'job-started', t: 125 },
      { name: 'throttled', t: 300 },
      { name: 'later', t: 590 },
    ],
  },
  earlyoom: {
    ...base,
    name: 'earlyoom',
    title: 'earlyoom on the incident box',
    description: 'The four labs with earlyoom running and no swap: once available memory falls to 10 % it kills the process with the highest oom_score, before the kernel would, and each lab’s supervisor restarts it.',
    topic: 'defences',
    machine: { ...base.machine, responders: { earlyoom: {} } },
    duration: 1000,
    timeline: [...webAppAndFourLabs],
    marks: [
      { name: 'three-labs', t: 440 },
      { name: 'four-labs', t: 600 },
    ],
  },
  'earlyoom-swap': {
    ...base,
    name: 'earlyoom-swap',
    title: 'earlyoom with a swap file',
    description: 'The same four labs and earlyoom with a 1 GiB swap file: idle pages go to swap, free swap stays far above 10 %, and earlyoom never acts.',
    topic: 'defences',
    machine: { ...base.machine, swapMiB: 1024, responders: { earlyoom: {} } },
    duration: 1000,
    timeline: [...webAppAndFourLabs],
    marks: [
      { name: 'three-labs', t: 440 },
      { name: 'four-labs', t: 600 },
    ],
  },
  oomd: {
    ...base,
    name: 'oomd',
    title: 'systemd-oomd on the incident box',
    description: 'The four labs with systemd-oomd watching the containers’ slice: after 30 s of memory pressure above 60 % it kills one whole lab, every process at once, and the other three run on.',
    topic: 'defences',
    machine: { ...base.machine, responders: { oomd: {} } },
    duration: 1000,
    timeline: [...webAppAndFourLabs],
    marks: [
      { name: 'three-labs', t: 440 },
      { name: 'four-labs', t: 600 },
    ],
  },
  kubelet: {
    ...base,
    name: 'kubelet',
    title: 'The kubelet evicts a pod',
    description: 'The four labs as pods of three QoS classes (lab1 Guaranteed at 260 MiB, lab2 Burstable with a 150 MiB request, lab3 and lab4 BestEffort) under the kubelet’s hard eviction threshold memory.available<100Mi.',
    topic: 'defences',
    machine: { ...base.machine, responders: { kubelet: {} } },
    duration: 1000,
    timeline: [
      { t: 30, action: { type: 'startApp' as const, app: 'dhbox-web' } },
      lab(60, 'lab1', { memLimitMiB: 260, requestMiB: 260 }),
      lab(180, 'lab2', { requestMiB: 150 }),
      lab(300, 'lab3'),
      lab(450, 'lab4'),
    ],
    marks: [
      { name: 'three-labs', t: 440 },
      { name: 'four-labs', t: 600 },
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
