import type { Scenario } from './types';

/**
 * The incident: a 990 MiB EC2 VM without swap runs the DHBox web app, then four
 * lab containers; the fourth tips it into thrashing, the OOM killer fires again
 * and again on jupyter-noteboo (supervisord restarts it), until
 * `docker kill $(docker ps -q)`. Times are seconds since boot; the kills come
 * about 100 s after the fourth lab, several a minute, as in the incident's dmesg
 * (seven in 50 s from 3635 s).
 */
const C1 = 3000;
const C2 = 3140;
const C3 = 3290;
const C4 = 3440;
const KILL = 3600;

export const seed: Scenario = {
  name: 'seed',
  title: 'The incident: four Jupyter labs on a 1 GiB box without swap',
  description:
    'A 990 MiB VM, no swap, a cloud disk. The DHBox web app starts, then lab containers one at a time; the fourth tips the box into thrashing and the OOM killer keeps killing jupyter-noteboo, which supervisord restarts, until docker kill $(docker ps -q).',
  topic: 'incident',
  machine: { ramMiB: 990, swapMiB: 0, swappiness: 60, cpus: 1, seed: 1 },
  freeEra: 'classic',
  kernelEra: 'classic',
  duration: KILL + 60,
  timeline: [
    { t: 120, action: { type: 'startApp', app: 'dhbox-web' } },
    { t: C1, action: { type: 'startContainer', profile: 'dhbox-lab', name: 'lab1' } },
    { t: C2, action: { type: 'startContainer', profile: 'dhbox-lab', name: 'lab2' } },
    { t: C3, action: { type: 'startContainer', profile: 'dhbox-lab', name: 'lab3' } },
    { t: C4, action: { type: 'startContainer', profile: 'dhbox-lab', name: 'lab4' } },
    { t: KILL, action: { type: 'killAll' } },
  ],
  marks: [
    { name: 'boot', t: 60 },
    { name: 'app-started', t: 200 },
    { name: 'container-1', t: C1 + 100 },
    { name: 'container-2', t: C2 + 110 },
    { name: 'container-3', t: C3 + 110 },
    { name: 'container-4', t: C4 + 45 },
    { name: 'killed-all', t: KILL + 30 },
  ],
  transcript: [
    { kind: 'free', mark: 'boot' },
    { kind: 'comment', text: 'Start the DHBox web app (gunicorn + Flask).' },
    { kind: 'free', mark: 'app-started' },
    { kind: 'vmstat', from: 560, to: 575, header: true },
    { kind: 'comment', text: "Here's when we start the first Docker container." },
    { kind: 'vmstat', from: C1 - 5, to: C1 + 40, header: true },
    { kind: 'free', mark: 'container-1' },
    { kind: 'comment', text: 'Starting the second container.' },
    { kind: 'vmstat', from: C2 - 5, to: C2 + 50, header: true },
    { kind: 'free', mark: 'container-2' },
    { kind: 'comment', text: 'Third container, then the fourth.' },
    { kind: 'free', mark: 'container-3' },
    { kind: 'vmstat', from: C3 + 125, to: C3 + 135, header: true },
    { kind: 'comment', text: 'After we start the fourth container.' },
    { kind: 'vmstat', from: C4 + 5, to: C4 + 20 },
    { kind: 'vmstat', from: C4 + 30, to: C4 + 90, elide: true },
    { kind: 'comment', text: 'Typing ls takes seconds. Memory now:' },
    { kind: 'free', mark: 'container-4' },
    { kind: 'dmesg', grep: 'Out of memory' },
    { kind: 'command', text: 'docker kill $(docker ps -q)' },
    { kind: 'free', mark: 'killed-all' },
  ],
};

/** The experiment the write-up wondered about: the same night with a 1 GiB swap file. */
export const seedSwap: Scenario = {
  ...seed,
  name: 'seed-swap',
  title: 'The incident replayed with a 1 GiB swap file',
  description: 'The same machine and workload as seed, with 1 GiB of swap on the same disk: idle services are swapped out instead of code being re-read.',
  machine: { ...seed.machine, swapMiB: 1024 },
};
