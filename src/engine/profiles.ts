import type { ContainerProfile, HostProfile, ServiceSpec } from './model';

/**
 * Programs as data. Sizes are MiB; the engine turns them into 4 KiB pages.
 *
 * The numbers are chosen so that the `seed` scenario lands near the incident's
 * figures (see tests/unit/engine/calibration.test.ts): a lab container holds about
 * 190 MiB of anonymous memory spread over a dozen services, the largest being the
 * notebook server at about 37 MiB of RSS (score 37 on a 990 MiB box).
 */

const hostServices: ServiceSpec[] = [
  { name: 'systemd', anonMiB: 3.5, startCpu: 0, hot: [{ file: 'host/systemd', mib: 1.5 }, { file: 'host/libc', mib: 0.5 }], wakeHz: 0.2, cpuPerWake: 0.001, threads: 1, vmMiB: 160, main: true },
  { name: 'systemd-journald', oomScoreAdj: -250, anonMiB: 4.5, startCpu: 0, hot: [{ file: 'host/systemd', mib: 1 }, { file: 'host/libc', mib: 0.3 }], wakeHz: 0.5, cpuPerWake: 0.0008, writeKiBps: 1, writeFile: 'host/journal', vmMiB: 70 },
  { name: 'systemd-udevd', oomScoreAdj: -1000, anonMiB: 1.5, startCpu: 0, hot: [{ file: 'host/systemd', mib: 0.5 }], wakeHz: 0.02, cpuPerWake: 0.001, vmMiB: 45 },
  { name: 'systemd-logind', anonMiB: 1, startCpu: 0, hot: [{ file: 'host/systemd', mib: 0.4 }], wakeHz: 0.05, cpuPerWake: 0.0005, vmMiB: 28 },
  { name: 'dbus-daemon', user: 'messagebus', uid: 107, oomScoreAdj: -900, anonMiB: 1, startCpu: 0, hot: [{ file: 'host/libc', mib: 0.3 }], wakeHz: 0.1, cpuPerWake: 0.0005, vmMiB: 42 },
  { name: 'rsyslogd', user: 'syslog', uid: 104, anonMiB: 1.5, startCpu: 0, hot: [{ file: 'host/libc', mib: 0.3 }], wakeHz: 0.1, cpuPerWake: 0.0005, writeKiBps: 0.5, writeFile: 'host/journal', threads: 4, vmMiB: 256 },
  { name: 'cron', anonMiB: 0.4, startCpu: 0, hot: [{ file: 'host/libc', mib: 0.2 }], wakeHz: 0.0167, cpuPerWake: 0.0005, vmMiB: 29 },
  { name: 'sshd', oomScoreAdj: -1000, anonMiB: 1.2, startCpu: 0, hot: [{ file: 'host/libc', mib: 0.3 }], wakeHz: 0.01, cpuPerWake: 0.0005, vmMiB: 65 },
  { name: 'accounts-daemon', anonMiB: 1, startCpu: 0, hot: [{ file: 'host/libc', mib: 0.2 }], wakeHz: 0.02, cpuPerWake: 0.0005, threads: 3, vmMiB: 280 },
  { name: 'snapd', anonMiB: 11, startCpu: 0, hot: [{ file: 'host/snapd', mib: 2 }], wakeHz: 0.1, cpuPerWake: 0.001, threads: 8, vmMiB: 900 },
  { name: 'lxcfs', anonMiB: 0.5, startCpu: 0, hot: [{ file: 'host/libc', mib: 0.1 }], wakeHz: 0.02, cpuPerWake: 0.0002, vmMiB: 160 },
  { name: 'polkitd', anonMiB: 1.5, startCpu: 0, hot: [{ file: 'host/libc', mib: 0.2 }], wakeHz: 0.01, cpuPerWake: 0.0005, threads: 3, vmMiB: 290 },
  { name: 'dockerd', command: '/usr/bin/dockerd -H fd://', oomScoreAdj: -500, anonMiB: 15, startCpu: 0, hot: [{ file: 'host/dockerd', mib: 4 }, { file: 'host/libc', mib: 0.5 }], wakeHz: 1, cpuPerWake: 0.002, threads: 12, vmMiB: 900 },
  { name: 'docker-containerd', oomScoreAdj: -999, anonMiB: 4, startCpu: 0, hot: [{ file: 'host/containerd', mib: 2 }], wakeHz: 1, cpuPerWake: 0.001, threads: 8, vmMiB: 600 },
  { name: 'agetty', anonMiB: 0.2, startCpu: 0, hot: [{ file: 'host/libc', mib: 0.1 }], wakeHz: 0, cpuPerWake: 0, vmMiB: 16 },
  { name: 'sshd', command: 'sshd: ubuntu@pts/0', user: 'ubuntu', uid: 1000, anonMiB: 1, startCpu: 0, hot: [{ file: 'host/libc', mib: 0.4 }], wakeHz: 0.5, cpuPerWake: 0.0005, vmMiB: 95 },
  { name: 'bash', user: 'ubuntu', uid: 1000, anonMiB: 1.5, startCpu: 0, hot: [{ file: 'host/libc', mib: 0.6 }], wakeHz: 0.2, cpuPerWake: 0.0005, vmMiB: 22 },
  { name: 'networkd-dispatcher', command: '/usr/bin/python3 /usr/bin/networkd-dispatcher', anonMiB: 12, startCpu: 0, hot: [{ file: 'host/python3', mib: 1 }], wakeHz: 0.05, cpuPerWake: 0.001, vmMiB: 170 },
  { name: 'vmstat', user: 'ubuntu', uid: 1000, anonMiB: 0.2, startCpu: 0, hot: [{ file: 'host/libc', mib: 0.2 }], wakeHz: 0.2, cpuPerWake: 0.0005, vmMiB: 8 },
];

const appServices: ServiceSpec[] = [
  {
    name: 'gunicorn', command: '/usr/bin/python /usr/local/bin/gunicorn -w 3 dhbox:app', user: 'ubuntu', uid: 1000,
    anonMiB: 13, startCpu: 0.8, startReads: [{ file: 'app/site-packages', mib: 14 }],
    hot: [{ file: 'host/python3', mib: 1.5 }, { file: 'app/code', mib: 0.5 }], wakeHz: 1, cpuPerWake: 0.001, vmMiB: 75,
  },
  ...[1, 2, 3].map((i): ServiceSpec => ({
    name: 'gunicorn', command: '/usr/bin/python /usr/local/bin/gunicorn -w 3 dhbox:app', user: 'ubuntu', uid: 1000,
    anonMiB: 11, startCpu: 0.4, delay: 1 + i * 0.2, startReads: [{ file: 'app/site-packages', mib: 1 }],
    hot: [{ file: 'host/python3', mib: 1.5 }, { file: 'app/code', mib: 0.8 }], wakeHz: 0.5, cpuPerWake: 0.001, vmMiB: 90,
  })),
];

export const HOSTS: Record<string, HostProfile> = {
  'ubuntu-docker': {
    name: 'ubuntu-docker',
    files: [
      { key: 'host/libc', name: '/lib/x86_64-linux-gnu (libc, bash, coreutils, sshd)', mib: 8, kind: 'exec', scope: 'host', bootResidentMiB: 8, bootActive: 0.9 },
      { key: 'host/systemd', name: '/lib/systemd', mib: 6, kind: 'exec', scope: 'host', bootResidentMiB: 6, bootActive: 0.8 },
      { key: 'host/dockerd', name: '/usr/bin/dockerd', mib: 14, kind: 'exec', scope: 'host', bootResidentMiB: 14, bootActive: 0.6 },
      { key: 'host/containerd', name: '/usr/bin/docker-containerd', mib: 6, kind: 'exec', scope: 'host', bootResidentMiB: 6, bootActive: 0.6 },
      { key: 'host/snapd', name: '/usr/lib/snapd/snapd', mib: 8, kind: 'exec', scope: 'host', bootResidentMiB: 8, bootActive: 0.5 },
      { key: 'host/python3', name: '/usr/bin/python3.5 and libpython', mib: 6, kind: 'exec', scope: 'host', bootResidentMiB: 6, bootActive: 0.5 },
      { key: 'host/journal', name: '/var/log/journal', mib: 64, kind: 'data', scope: 'host', bootResidentMiB: 10, bootActive: 0.2 },
      { key: 'host/boot', name: 'files read while booting (/usr, /var/lib, images)', mib: 2048, kind: 'data', scope: 'host', bootResidentMiB: 260, bootActive: 0.45 },
      { key: 'host/blockdev', name: 'block device buffers (/dev/xvda1 metadata)', mib: 512, kind: 'meta', scope: 'host', bootResidentMiB: 50, bootActive: 0.5 },
    ],
    services: hostServices,
    kernelMiB: 4,
    slabUnreclaimableMiB: 12,
    slabReclaimableMiB: 20,
    shmemMiB: 4,
    buffersMiB: 50,
    apps: {
      'dhbox-web': {
        files: [
          { key: 'app/site-packages', name: '/usr/local/lib/python2.7 (flask, gunicorn)', mib: 16, kind: 'data', scope: 'host' },
          { key: 'app/code', name: '/srv/dhbox', mib: 2, kind: 'exec', scope: 'host' },
        ],
        services: appServices,
      },
    },
  },
};

// ---------------------------------------------------------------------------
// Containers
// ---------------------------------------------------------------------------

const py = (mib: number) => ({ file: 'img/python', mib });
const libs = (mib: number) => ({ file: 'img/libs', mib });

/** A DHBox lab: supervisord running a notebook server, RStudio, a web terminal, Omeka (Apache + MySQL), and helpers. */
const labServices: ServiceSpec[] = [
  { name: 'supervisord', command: '/usr/bin/python /usr/bin/supervisord -n', main: true, anonMiB: 12, startCpu: 0.3, hot: [py(1.2), libs(0.3)], wakeHz: 1, cpuPerWake: 0.0005, vmMiB: 60, startReads: [{ file: 'img/site', mib: 2 }] },
  {
    name: 'jupyter-notebook', command: '/usr/bin/python3 /usr/local/bin/jupyter-notebook --no-browser --port 8888', supervised: true,
    anonMiB: 35.5, heapS: 24, startCpu: 0.9, delay: 0.5, startReads: [{ file: 'img/site', mib: 15 }, { file: 'ctr/data', mib: 3 }],
    startWrites: [{ file: 'ctr/layer', mib: 6, sync: true }], hot: [py(3), libs(0.6), { file: 'ctr/db', mib: 0.3 }], wakeHz: 1, cpuPerWake: 0.002, anonHot: 0.3, threads: 4, vmMiB: 240,
  },
  { name: 'rserver', command: '/usr/lib/rstudio-server/bin/rserver', supervised: true, anonMiB: 8, startCpu: 0.3, delay: 0.5, hot: [{ file: 'img/r', mib: 1 }, libs(0.3)], wakeHz: 0.5, cpuPerWake: 0.001, vmMiB: 200, startReads: [{ file: 'img/site', mib: 2 }] },
  {
    name: 'rsession', command: '/usr/lib/rstudio-server/bin/rsession -u dhbox', supervised: true, anonMiB: 28, peakMiB: 29, startCpu: 0.4, delay: 70,
    startReads: [{ file: 'img/site', mib: 8 }, { file: 'ctr/data', mib: 2 }], hot: [{ file: 'img/r', mib: 2.5 }, libs(0.5)], wakeHz: 0.5, cpuPerWake: 0.002, anonHot: 0.25, vmMiB: 380,
  },
  { name: 'node', command: 'node /opt/wetty/app.js -p 4200', supervised: true, anonMiB: 22, peakMiB: 24, startCpu: 0.5, delay: 0.5, startReads: [{ file: 'img/site', mib: 6 }], hot: [{ file: 'img/node', mib: 2.5 }, libs(0.4)], wakeHz: 1, cpuPerWake: 0.0015, anonHot: 0.3, threads: 6, vmMiB: 900 },
  {
    name: 'mysqld', command: '/usr/sbin/mysqld', user: 'mysql', uid: 999, supervised: true, anonMiB: 29, peakMiB: 31, startCpu: 0.5, delay: 0.5,
    startReads: [{ file: 'ctr/data', mib: 20 }], startWrites: [{ file: 'ctr/layer', mib: 60, sync: true }],
    hot: [{ file: 'img/mysqld', mib: 2.5 }, libs(0.4), { file: 'ctr/db', mib: 1.5 }], wakeHz: 1, cpuPerWake: 0.001, writeKiBps: 12, writeFile: 'ctr/layer', anonHot: 0.2, threads: 20, vmMiB: 1100,
  },
  { name: 'apache2', command: '/usr/sbin/apache2 -DFOREGROUND', supervised: true, anonMiB: 9, peakMiB: 12, startCpu: 0.3, delay: 1, startReads: [{ file: 'ctr/data', mib: 2 }], hot: [{ file: 'img/apache', mib: 1.2 }, libs(0.3)], wakeHz: 0.5, cpuPerWake: 0.001, writeKiBps: 0.5, writeFile: 'ctr/layer', vmMiB: 280 },
  { name: 'apache2', command: '/usr/sbin/apache2 -DFOREGROUND', user: 'www-data', uid: 33, parent: 'apache2', anonMiB: 6, startCpu: 0.1, delay: 2, hot: [{ file: 'img/apache', mib: 0.8 }], wakeHz: 0.2, cpuPerWake: 0.0005, vmMiB: 280 },
  { name: 'apache2', command: '/usr/sbin/apache2 -DFOREGROUND', user: 'www-data', uid: 33, parent: 'apache2', anonMiB: 6, startCpu: 0.1, delay: 2, hot: [{ file: 'img/apache', mib: 0.8 }], wakeHz: 0.2, cpuPerWake: 0.0005, vmMiB: 280 },
  {
    name: 'python3', command: '/usr/bin/python3 -m ipykernel_launcher -f kernel.json', anonMiB: 23, startCpu: 0.35, delay: 70, startReads: [{ file: 'img/site', mib: 4 }],
    hot: [py(2), libs(0.3)], wakeHz: 0.5, cpuPerWake: 0.001, anonHot: 0.25, threads: 4, vmMiB: 180,
  },
  { name: 'python', command: '/usr/bin/python /opt/dhbox/filemanager.py', supervised: true, anonMiB: 14, startCpu: 0.25, delay: 1, startReads: [{ file: 'img/site', mib: 2 }], hot: [py(1.5), libs(0.2)], wakeHz: 0.5, cpuPerWake: 0.001, anonHot: 0.3, vmMiB: 110 },
  { name: 'sshd', command: '/usr/sbin/sshd -D', supervised: true, anonMiB: 2.5, startCpu: 0.05, delay: 0.5, hot: [libs(0.2)], wakeHz: 0.05, cpuPerWake: 0.0005, vmMiB: 65 },
  { name: 'bash', command: '/bin/bash', anonMiB: 2, startCpu: 0.02, delay: 2, hot: [libs(0.2)], wakeHz: 0.05, cpuPerWake: 0.0005, vmMiB: 20 },
  { name: 'docker-containerd-shim', command: 'docker-containerd-shim', hostSide: true, oomScoreAdj: -999, anonMiB: 2.5, startCpu: 0.05, hot: [{ file: 'host/containerd', mib: 0.3 }], wakeHz: 0.2, cpuPerWake: 0.0003, threads: 6, vmMiB: 200 },
  { name: 'docker-proxy', command: 'docker-proxy -proto tcp -host-port 8080', hostSide: true, anonMiB: 3, startCpu: 0.05, hot: [{ file: 'host/dockerd', mib: 0.4 }], wakeHz: 0.1, cpuPerWake: 0.0003, threads: 6, vmMiB: 300 },
];

const webServices: ServiceSpec[] = [
  { name: 'nginx', command: 'nginx: master process nginx -g daemon off;', main: true, anonMiB: 2, startCpu: 0.05, hot: [{ file: 'img/nginx', mib: 0.6 }], wakeHz: 0.2, cpuPerWake: 0.0005, vmMiB: 40 },
  { name: 'nginx', command: 'nginx: worker process', user: 'www-data', uid: 33, parent: 'nginx', anonMiB: 3, startCpu: 0.05, hot: [{ file: 'img/nginx', mib: 0.8 }], wakeHz: 2, cpuPerWake: 0.0008, vmMiB: 40 },
  { name: 'node', command: 'node server.js', supervised: true, anonMiB: 40, peakMiB: 50, startCpu: 0.6, delay: 0.2, startReads: [{ file: 'img/app', mib: 12 }], hot: [{ file: 'img/node', mib: 2 }], wakeHz: 2, cpuPerWake: 0.002, anonHot: 0.4, vmMiB: 700 },
  { name: 'docker-containerd-shim', command: 'docker-containerd-shim', hostSide: true, oomScoreAdj: -999, anonMiB: 2.5, startCpu: 0.05, hot: [{ file: 'host/containerd', mib: 0.3 }], wakeHz: 0.2, cpuPerWake: 0.0003, threads: 6, vmMiB: 200 },
];

export const CONTAINERS: Record<string, ContainerProfile> = {
  'dhbox-lab': {
    name: 'dhbox-lab',
    description: 'A DHBox lab: supervisord running a Jupyter notebook server, RStudio, a web terminal, Omeka (Apache, MySQL) and helpers.',
    image: 'dhbox/seed:latest',
    command: '/usr/bin/supervisord -n',
    ports: '0.0.0.0:8080->8888/tcp',
    files: [
      { key: 'img/python', name: 'image: python interpreters and libs', mib: 16, kind: 'exec', scope: 'image' },
      { key: 'img/libs', name: 'image: libc and shared libraries', mib: 8, kind: 'exec', scope: 'image' },
      { key: 'img/node', name: 'image: node', mib: 10, kind: 'exec', scope: 'image' },
      { key: 'img/r', name: 'image: R and RStudio', mib: 10, kind: 'exec', scope: 'image' },
      { key: 'img/mysqld', name: 'image: mysqld', mib: 9, kind: 'exec', scope: 'image' },
      { key: 'img/apache', name: 'image: apache2 and php', mib: 4, kind: 'exec', scope: 'image' },
      { key: 'img/site', name: 'image: site-packages and R libraries', mib: 60, kind: 'data', scope: 'image' },
      { key: 'ctr/data', name: 'volume: home and database files', mib: 40, kind: 'data', scope: 'container' },
      { key: 'ctr/db', name: 'volume: hot database pages (ibdata)', mib: 3, kind: 'data', scope: 'container' },
      { key: 'ctr/layer', name: 'writable layer', mib: 256, kind: 'data', scope: 'container' },
    ],
    services: labServices,
    shmemMiB: 6.7,
    kernelMiB: 8,
    slabMiB: 4,
    supervisorDelay: 1,
  },
  'web-app': {
    name: 'web-app',
    description: 'A small web app: nginx in front of a node server.',
    image: 'example/web:1.4',
    command: 'nginx -g daemon off;',
    ports: '0.0.0.0:80->80/tcp',
    files: [
      { key: 'img/nginx', name: 'image: nginx', mib: 2, kind: 'exec', scope: 'image' },
      { key: 'img/node', name: 'image: node', mib: 7, kind: 'exec', scope: 'image' },
      { key: 'img/app', name: 'image: app bundle', mib: 20, kind: 'data', scope: 'image' },
      { key: 'ctr/layer', name: 'writable layer', mib: 64, kind: 'data', scope: 'container' },
    ],
    services: webServices,
    shmemMiB: 0.5,
    kernelMiB: 3,
    slabMiB: 1,
    supervisorDelay: 1,
  },
  'batch-job': {
    name: 'batch-job',
    description: 'A memory-hungry batch job: it keeps allocating until it is stopped (or killed).',
    image: 'example/batch:2.0',
    command: 'python3 train.py',
    files: [
      { key: 'img/python', name: 'image: python', mib: 10, kind: 'exec', scope: 'image' },
      { key: 'ctr/input', name: 'volume: input data', mib: 200, kind: 'data', scope: 'container' },
    ],
    services: [
      {
        name: 'python3', command: 'python3 train.py', main: true, anonMiB: 60, startCpu: 1, startReads: [{ file: 'ctr/input', mib: 40 }],
        hot: [{ file: 'img/python', mib: 2 }], wakeHz: 5, cpuPerWake: 0.05, growMiBps: 8, anonHot: 0.6, vmMiB: 900,
      },
      { name: 'docker-containerd-shim', command: 'docker-containerd-shim', hostSide: true, oomScoreAdj: -999, anonMiB: 2.5, startCpu: 0.05, hot: [{ file: 'host/containerd', mib: 0.3 }], wakeHz: 0.2, cpuPerWake: 0.0003, threads: 6, vmMiB: 200 },
    ],
    shmemMiB: 0.2,
    kernelMiB: 2,
    slabMiB: 1,
  },
  'idle-service': {
    name: 'idle-service',
    description: 'An idle key-value store: small, wakes ten times a second.',
    image: 'redis:4',
    command: 'redis-server',
    ports: '6379/tcp',
    files: [{ key: 'img/redis', name: 'image: redis', mib: 2, kind: 'exec', scope: 'image' }],
    services: [
      { name: 'redis-server', command: 'redis-server *:6379', main: true, user: 'redis', uid: 999, anonMiB: 8, startCpu: 0.05, hot: [{ file: 'img/redis', mib: 0.3 }], wakeHz: 10, cpuPerWake: 0.0001, anonHot: 0.5, vmMiB: 50 },
      { name: 'docker-containerd-shim', command: 'docker-containerd-shim', hostSide: true, oomScoreAdj: -999, anonMiB: 2.5, startCpu: 0.05, hot: [{ file: 'host/containerd', mib: 0.3 }], wakeHz: 0.2, cpuPerWake: 0.0003, threads: 6, vmMiB: 200 },
    ],
    shmemMiB: 0.1,
    kernelMiB: 1.5,
    slabMiB: 0.5,
  },
};

export const CONTAINER_PROFILE_NAMES = Object.keys(CONTAINERS);
