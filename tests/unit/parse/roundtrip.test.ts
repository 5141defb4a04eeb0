/**
 * parse ∘ format = identity: every format the engine prints reads back to the
 * figures it was printed from (property tests over arbitrary figures), and the
 * engine's own terminal output for the incident reads back to its state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFree, scaleSize, humanSize, humanSizeClassic, type FreeFigures, type FreeUnit } from '../../../src/engine/format/free';
import { formatVmstat, vmstatRowFromArray } from '../../../src/engine/format/vmstat';
import { formatMeminfo } from '../../../src/engine/format/meminfo';
import { formatPsi } from '../../../src/engine/format/psi';
import { formatOomKill } from '../../../src/engine/format/dmesg';
import { formatPs } from '../../../src/engine/format/ps';
import { formatDockerPs } from '../../../src/engine/format/docker';
import { VMSTAT_KEYS, type Meminfo, type OomKill, type DockerContainer } from '../../../src/engine/format/types';
import { parseCapture, type DmesgBlock, type DockerPsBlock, type FreeBlock, type MeminfoBlock, type PsBlock, type PsiBlock, type VmstatBlock } from '../../../src/engine/parse';
import { COMMANDS, CONTAINER_COMMANDS, commandLine, commandOutput, scenarioRun, markTime } from '../../../src/lib/engine-output';

const kib = fc.integer({ min: 0, max: 2 ** 40 });
const one = <B>(text: string, command?: string) => {
  const c = parseCapture(command ? `$ ${command}\n${text}` : text);
  expect(c.unread).toEqual([]);
  expect(c.blocks).toHaveLength(1);
  return c.blocks[0]!.block as B;
};

describe('free round-trips', () => {
  const figures = fc.record<FreeFigures>({
    total: fc.integer({ min: 65536, max: 2 ** 40 }),
    used: kib,
    free: kib,
    shared: kib,
    buffers: kib,
    cache: kib,
    available: kib,
    swapTotal: kib,
    swapUsed: kib,
    swapFree: kib,
  });
  it('in every unit, both eras, narrow and wide', () => {
    fc.assert(
      fc.property(figures, fc.constantFrom<FreeUnit>('k', 'm', 'g', 'h'), fc.constantFrom('modern', 'classic') as fc.Arbitrary<'modern' | 'classic'>, fc.boolean(), (f, unit, era, wide) => {
        const text = formatFree(f, { unit, era, wide });
        const flag = { k: '-k', m: '-m', g: '-g', h: '-h' }[unit];
        const b = one<FreeBlock>(text, `free ${flag}${wide ? ' -w' : ''}`);
        expect(b.era).toBe(era);
        expect(b.wide).toBe(wide);
        expect(b.unit).toBe(unit);
        const shown = (v: number) => scaleSize(v, unit, era);
        const mem = wide ? [f.total, f.used, f.free, f.shared, f.buffers, f.cache, f.available] : [f.total, f.used, f.free, f.shared, f.buffers + f.cache, f.available];
        expect(b.mem!.cells).toEqual(mem.map(shown));
        expect(b.swap!.cells).toEqual([f.swapTotal, f.swapUsed, f.swapFree].map(shown));
        if (unit === 'k') {
          expect(b.figures).toMatchObject({ total: f.total, used: f.used, free: f.free, available: f.available, swapTotal: f.swapTotal });
          expect(b.figures.buffCache).toBe(f.buffers + f.cache);
        }
        if (unit === 'h') {
          const human = era === 'classic' ? humanSizeClassic : humanSize;
          // What was read lies within one unit of the suffix of what was printed (procps
          // drops the decimal when it would not fit: 9.95 Ti prints as "9Ti")…
          const step = (cell: string) => 1024 ** Math.max(0, ['B', 'K', 'M', 'G', 'T', 'P'].indexOf(cell.replace(/i$/, '').slice(-1)) - 1);
          b.mem!.kib.forEach((k, i) => expect(Math.abs(k - mem[i]!), b.mem!.cells[i]).toBeLessThanOrEqual(step(b.mem!.cells[i]!)));
          // …and a value printed with its decimal prints back the same.
          b.mem!.kib.forEach((k, i) => {
            if (b.mem!.cells[i]!.includes('.')) expect(human(k)).toBe(b.mem!.cells[i]);
          });
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('vmstat round-trips', () => {
  const row = fc.array(fc.integer({ min: 0, max: 10 ** 9 }), { minLength: 17, maxLength: 17 });
  it('normal and wide, with repeated headers', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 45 }), fc.boolean(), fc.constantFrom(0, 5, 21), (rows, wide, headerEvery) => {
        const text = formatVmstat(rows.map(vmstatRowFromArray), { wide, headerEvery });
        const b = one<VmstatBlock>(text);
        expect(b.wide).toBe(wide);
        expect(b.rows.map((r) => VMSTAT_KEYS.map((k) => r[k]))).toEqual(rows);
      }),
      { numRuns: 200 },
    );
  });
});

describe('/proc/meminfo round-trips', () => {
  const fields: (keyof Meminfo)[] = ['MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SwapCached', 'Active', 'Inactive', 'ActiveAnon', 'InactiveAnon', 'ActiveFile', 'InactiveFile', 'Unevictable', 'Mlocked', 'SwapTotal', 'SwapFree', 'Dirty', 'Writeback', 'AnonPages', 'Mapped', 'Shmem', 'KReclaimable', 'Slab', 'SReclaimable', 'SUnreclaim', 'KernelStack', 'PageTables', 'CommitLimit', 'Committed_AS'];
  const name = (k: keyof Meminfo) => ({ ActiveAnon: 'Active(anon)', InactiveAnon: 'Inactive(anon)', ActiveFile: 'Active(file)', InactiveFile: 'Inactive(file)' } as Record<string, string>)[k] ?? k;
  it('for several kernels', () => {
    fc.assert(
      fc.property(fc.tuple(...fields.map(() => fc.integer({ min: 0, max: 2 ** 36 }))), fc.constantFrom<[number, number]>([4, 15], [5, 15], [6, 1], [6, 8]), (values, kernel) => {
        const m = Object.fromEntries(fields.map((k, i) => [k, values[i]!])) as unknown as Meminfo;
        const b = one<MeminfoBlock>(formatMeminfo(m, { kernel }));
        for (const k of fields) if (k !== 'KReclaimable' || kernel[0] > 4) expect(b.fields[name(k)], k).toBe(m[k]);
      }),
      { numRuns: 100 },
    );
  });
});

describe('PSI round-trips', () => {
  it('to the two decimals the kernel prints', () => {
    const line = fc.record({ avg10: fc.double({ min: 0, max: 100, noNaN: true }), avg60: fc.double({ min: 0, max: 100, noNaN: true }), avg300: fc.double({ min: 0, max: 100, noNaN: true }), total: fc.integer({ min: 0, max: 2 ** 52 }) });
    fc.assert(
      fc.property(line, line, (some, full) => {
        const text = formatPsi({ some, full });
        const b = one<PsiBlock>(text, 'cat /proc/pressure/memory');
        expect(b.resource).toBe('memory');
        expect(formatPsi({ some: b.some!, full: b.full! })).toBe(text);
        expect(b.some!.total).toBe(some.total);
      }),
      { numRuns: 300 },
    );
  });
});

const comm = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,17}$/);
const task = fc.record({
  pid: fc.integer({ min: 1, max: 4194304 }),
  uid: fc.integer({ min: 0, max: 65535 }),
  tgid: fc.integer({ min: 1, max: 4194304 }),
  totalVmPages: fc.integer({ min: 0, max: 2 ** 30 }),
  rssPages: fc.integer({ min: 0, max: 2 ** 26 }),
  pgtablesBytes: fc.integer({ min: 0, max: 2 ** 20 }).map((n) => n * 4096),
  swapents: fc.integer({ min: 0, max: 2 ** 26 }),
  oomScoreAdj: fc.integer({ min: -1000, max: 1000 }),
  comm,
});

describe('OOM reports round-trip', () => {
  it('modern and classic, global and memory-cgroup', () => {
    fc.assert(
      fc.property(fc.array(task, { minLength: 1, maxLength: 30 }), fc.constantFrom('modern', 'classic') as fc.Arbitrary<'modern' | 'classic'>, fc.boolean(), fc.double({ min: 0, max: 1e6, noNaN: true }), (tasks, era, memcg, t) => {
        const v = tasks[0]!;
        const k: OomKill = {
          t,
          invoker: { comm: v.comm, pid: v.pid, oomScoreAdj: v.oomScoreAdj },
          tasks,
          victim: { pid: v.pid, comm: v.comm, uid: v.uid, totalVmKb: v.totalVmPages * 4, anonRssKb: v.rssPages * 4, fileRssKb: 0, shmemRssKb: 0, pgtablesKb: v.pgtablesBytes / 1024, oomScoreAdj: v.oomScoreAdj, score: 12 },
          ...(memcg && { memcg: { path: '/system.slice/docker-abc.scope', usageKb: 262144, limitKb: 262144, failcnt: 3 } }),
          ...(!memcg && { memInfo: { activeAnon: 1, inactiveAnon: 2, isolatedAnon: 0, activeFile: 3, inactiveFile: 4, isolatedFile: 0, unevictable: 0, dirty: 0, writeback: 0, slabReclaimable: 5, slabUnreclaimable: 6, mapped: 7, shmem: 8, pagetables: 9, free: 10, freeSwapPages: 0, totalSwapPages: 0, totalRamPages: 262144, reservedPages: 8000 } }),
          reaped: { t: t + 0.1, anonRssKb: 0, fileRssKb: 0, shmemRssKb: 0 },
        };
        const b = one<DmesgBlock>(formatOomKill(k, era));
        expect(b.reports).toHaveLength(1);
        const r = b.reports[0]!;
        expect(r.constraint).toBe(memcg ? 'memcg' : 'global');
        expect(r.tasks.map((x) => [x.pid, x.uid, x.tgid, x.totalVm, x.rss, x.pgtablesPages, x.swapents, x.oomScoreAdj, x.name])).toEqual(
          tasks.map((x) => [x.pid, x.uid, x.tgid, x.totalVmPages, x.rssPages, x.pgtablesBytes / 4096, x.swapents, x.oomScoreAdj, x.comm.slice(0, 15)]),
        );
        expect(r.invoker).toMatchObject({ comm: v.comm.slice(0, 15), oomScoreAdj: v.oomScoreAdj, order: 0 });
        const victim = era === 'classic' ? r.chosen! : r.killed!;
        expect(victim).toMatchObject({ pid: v.pid, comm: v.comm.slice(0, 15), memcg });
        expect(r.killed).toMatchObject({ anonRssKb: v.rssPages * 4, totalVmKb: v.totalVmPages * 4 });
        if (era === 'classic') expect(r.chosen!.score).toBe(12);
        else expect(r.killed).toMatchObject({ uid: v.uid, oomScoreAdj: v.oomScoreAdj });
        if (memcg) expect(r).toMatchObject({ memcgUsageKb: 262144, memcgLimitKb: 262144, memcgFailcnt: 3 });
        else expect(r).toMatchObject({ ramPages: 262144, reservedPages: 8000 });
        expect(r.reaped?.pid).toBe(v.pid);
        expect(b.kills).toHaveLength(1);
        expect(b.kills[0]!.t).toBeCloseTo(Math.round(t * 1e6) / 1e6, 6);
      }),
      { numRuns: 150 },
    );
  });
});

describe('ps and docker ps round-trip', () => {
  it('ps with the OOM column', () => {
    const row = fc.record({ pid: fc.integer({ min: 1, max: 4194304 }), user: fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/), rssKb: fc.integer({ min: 0, max: 2 ** 30 }), stat: fc.constantFrom('S', 'Ss', 'R+', 'D', 'Sl'), comm, oomScore: fc.integer({ min: 0, max: 2000 }) });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 20 }), (rows) => {
        const b = one<PsBlock>(formatPs(rows, { memTotalKb: 1013760 }));
        expect(b.rows.map((r) => [Number(r.values.PID), Number(r.values.RSS), Number(r.values.OOM), r.values.COMMAND])).toEqual(rows.map((r) => [r.pid, r.rssKb, r.oomScore, r.comm.slice(0, 15)]));
      }),
      { numRuns: 100 },
    );
  });

  it('docker ps', () => {
    const ctr = fc.record({
      id: fc.stringMatching(/^[0-9a-f]{64}$/),
      image: fc.stringMatching(/^[a-z]{2,10}\/[a-z]{2,8}:[a-z0-9]{1,6}$/),
      command: fc.stringMatching(/^\/usr\/bin\/[a-z]{1,30}$/),
      createdAt: fc.integer({ min: 0, max: 1000 }),
      name: fc.stringMatching(/^[a-z][a-z0-9_]{1,20}$/),
      started: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(ctr, { minLength: 1, maxLength: 6, selector: (c) => c.name }), (list) => {
        const containers: DockerContainer[] = list.map((c) => ({ id: c.id, image: c.image, command: c.command, createdAt: c.createdAt, name: c.name, state: { kind: 'running', startedAt: c.started } }));
        const text = formatDockerPs(containers, 5000);
        const b = one<DockerPsBlock>(text);
        expect(b.rows.map((r) => r.names).sort()).toEqual(list.map((c) => c.name).sort());
        for (const r of b.rows) expect(r.status).toMatch(/^Up /);
      }),
      { numRuns: 100 },
    );
  });
});

/** Commands the chapters print that /explain/ does not read: the tables of swap areas. */
// /explain/ does not read these: swapon's tables and docker inspect's JSON.
const NOT_READ: readonly string[] = ['swapon --show', 'cat /proc/swaps', 'docker inspect'];

describe("the engine's own terminal output reads back", () => {
  it('for every command the chapters print that /explain/ reads, at the incident\'s marks', { timeout: 60_000 }, () => {
    const run = scenarioRun('seed');
    for (const mark of ['container-2', 'container-4', 'killed-all']) {
      for (const command of COMMANDS.filter((c) => !NOT_READ.includes(c))) {
        // A container's files are read for the first lab.
        const container = CONTAINER_COMMANDS.includes(command) ? 'lab1' : undefined;
        const text = commandOutput('seed', mark, command, 6, container);
        if (!text) continue;
        const c = parseCapture(`$ ${commandLine('seed', mark, command, container)}\n${text}`);
        expect(c.unread, `${mark}: ${command}`).toEqual([]);
        expect(c.blocks.length, `${mark}: ${command}`).toBeGreaterThan(0);
      }
      const free = parseCapture(`$ free -m\n${commandOutput('seed', mark, 'free -m')}`).blocks[0]!.block as FreeBlock;
      const row = run.marks[mark]!.free;
      expect(free.mem!.cells.map(Number)).toEqual([row.total, row.used, row.free, row.shared, row.buff_cache, row.available]);
      const vm = parseCapture(commandOutput('seed', mark, 'vmstat 5')).blocks[0]!.block as VmstatBlock;
      const samples = run.samples.filter((s) => s.t <= markTime('seed', mark) + 1e-9).slice(-vm.rows.length);
      expect(vm.rows.map((r) => r.bi)).toEqual(samples.map((s) => Math.trunc(s.vmstat.bi)));
    }
  });
});
