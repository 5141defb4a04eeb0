import { describe, expect, it } from 'vitest';
import { Machine } from '../../../src/engine/index';
import type { MachineConfig, MemoryKnobs } from '../../../src/engine/index';
import { memcgSwap, memcgTotals, memcgUsage } from '../../../src/engine/memcg';
import { signalProc } from '../../../src/engine/machine';
import { badness, selectVictim, totalPagesFor } from '../../../src/engine/oom';
import { formatMemoryEvents } from '../../../src/engine/format/cgroup';
import { formatOomKill } from '../../../src/engine/format/dmesg';
import { formatAction, parseAction } from '../../../src/state/link';
import { CONTAINER_PROFILE_NAMES } from '../../../src/engine/index';

/**
 * The OOM killer by its real rules, memory cgroups, and the user-space responders
 * (earlyoom, systemd-oomd, the kubelet): each behaviour as the kernel and the daemons'
 * documentation describe it, computed from the engine.
 */

const mib = (pages: number) => pages / 256;

function labs(m: Machine, n: number, gap: number, knobs: MemoryKnobs = {}): void {
  for (let i = 0; i < n; i++) {
    m.act({ type: 'startContainer', profile: 'dhbox-lab', name: `lab${i + 1}`, ...knobs });
    m.step(gap);
  }
}

for (const seed of [1, 2, 3]) {
  describe(`seed ${seed}`, () => {
    it('a negative oom_score_adj everywhere still kills the largest task, not a small daemon', () => {
      const m = new Machine({ ramMiB: 990, seed });
      labs(m, 4, 120);
      m.runUntil(480);
      for (const p of m.state.procs) if (p.alive && p.adj > -999) p.adj = -999;
      const before = m.oomKillCount();
      m.runUntil(700);
      const kills = m.oomKillsSince(before);
      expect(kills.length).toBeGreaterThan(0);
      for (const k of kills) expect((k.victim.anonRssKb + k.victim.fileRssKb) / 1024).toBeGreaterThanOrEqual(10);
    });

    it('a leak inside memory.max ends in a memcg kill even beside free swap, and the labs beside it run on', () => {
      for (const knobs of [{ memLimitMiB: 256, swapMaxMiB: 0 }, { memLimitMiB: 256 }] as MemoryKnobs[]) {
        const m = new Machine({ ramMiB: 2048, swapMiB: 1024, seed });
        labs(m, 2, 30);
        m.act({ type: 'startContainer', profile: 'batch-job', name: 'job', ...knobs });
        m.runUntil(720);
        const [lab1, lab2, job] = m.cgroups();
        expect(job!.events.oom_kill).toBeGreaterThanOrEqual(1);
        expect(m.state.ooms.some((k) => k.memcg !== undefined)).toBe(true);
        // Docker's default lets the job swap as much again as its limit before the kill; swap=0 none.
        if (knobs.swapMaxMiB === 0) expect(job!.swapMax).toBe(0);
        else expect(job!.swapMax).toBe(256 * 1024 * 1024);
        for (const lab of [lab1!, lab2!]) {
          expect(lab.state).toBe('running');
          expect(lab.events.oom_kill).toBe(0);
        }
      }
    });

    it('a lab over memory.max reclaims and refaults its own code before its memcg kill, while the box has memory to spare', () => {
      const m = new Machine({ ramMiB: 2048, seed });
      m.act({ type: 'startContainer', profile: 'dhbox-lab', name: 'lab', memLimitMiB: 200 });
      m.runUntil(65);
      const c = m.state.containers[0]!;
      const psi0 = c.psi.someTotal;
      const maj0 = c.stat.pgmajfault;
      const refault0 = c.stat.workingset_refault_file;
      let lowest = Infinity;
      while (c.events.oom_kill === 0 && m.t < 400) {
        m.tick();
        lowest = Math.min(lowest, m.state.free - m.state.lowmemReserve);
      }
      expect(c.events.oom_kill).toBe(1);
      expect(c.events.max).toBeGreaterThan(0);
      expect(c.stat.pgmajfault - maj0).toBeGreaterThan(0);
      expect(c.stat.workingset_refault_file - refault0).toBeGreaterThan(0);
      expect(c.psi.someTotal - psi0).toBeGreaterThan(0);
      expect(lowest).toBeGreaterThan(m.state.wmark.low);
      // The kill stayed inside: the report is a memcg one and names the lab's cgroup.
      const k = m.state.ooms.at(-1)!;
      expect(c.hexId).toMatch(/^[0-9a-f]{64}$/);
      expect(k.memcg?.path).toBe(`/system.slice/docker-${c.hexId}.scope`);
      expect(formatOomKill(k)).toMatch(/^\[.*\] .* invoked oom-killer: /);
      expect(formatOomKill(k)).toContain('Memory cgroup out of memory: Killed process');
    });

    it('memory.high throttles a leak instead of killing it: slower growth, its own pressure up, no kill in 300 s', () => {
      const growth = (knobs: MemoryKnobs) => {
        const m = new Machine({ ramMiB: 2048, seed });
        m.act({ type: 'startContainer', profile: 'batch-job', name: 'job', ...knobs });
        m.runUntil(60);
        const c = m.state.containers[0]!;
        const u60 = memcgUsage(m.state, c);
        m.runUntil(120);
        const rate = mib(memcgUsage(m.state, c) - u60) / 60;
        m.runUntil(300);
        return { rate, c, m };
      };
      const free = growth({});
      const high = growth({ memHighMiB: 200 });
      expect(high.rate).toBeLessThan(free.rate / 4);
      expect(high.c.events.high).toBeGreaterThan(0);
      expect(high.c.psi.some[0]).toBeGreaterThan(50);
      expect(high.c.events.oom_kill).toBe(0);
      expect(high.m.state.counters.oomKills).toBe(0);
      expect(formatMemoryEvents(high.c.events)).toMatch(/^low 0\nhigh \d+\nmax 0\noom 0\noom_kill 0\noom_group_kill 0$/);
    });
  });
}

describe('no killable process', () => {
  it('logs it, panics and halts; nothing moves afterwards', () => {
    const m = new Machine({ ramMiB: 990, seed: 1 });
    labs(m, 4, 120);
    for (const p of m.state.procs) if (p.alive) p.adj = -1000;
    m.step(300);
    expect(m.halted()?.reason).toBe('System is deadlocked on memory');
    const lines = m.dmesg().map((r) => r.text);
    expect(lines.slice(-2)).toEqual(['Out of memory and no killable processes...', 'Kernel panic - not syncing: System is deadlocked on memory']);
    const free = m.free();
    const events = m.eventCount();
    m.step(60);
    expect(m.free()).toEqual(free);
    expect(m.eventCount()).toBe(events);
  });

  it('on a 4.x kernel panics with the first message', () => {
    const m = new Machine({ ramMiB: 990, seed: 1, kernel: 'classic' });
    labs(m, 4, 120);
    for (const p of m.state.procs) if (p.alive) p.adj = -1000;
    m.step(300);
    expect(m.dmesg('classic').at(-1)!.text).toBe('Kernel panic - not syncing: Out of memory and no killable processes...');
  });
});

describe('victim selection by kernel era', () => {
  const twins = (kernel: MachineConfig['kernel']) => {
    const m = new Machine({ ramMiB: 990, seed: 2, kernel });
    m.act({ type: 'startContainer', profile: 'idle-service', name: 'a' });
    m.act({ type: 'startContainer', profile: 'idle-service', name: 'b' });
    m.step(20);
    const [p, q] = m.state.procs.filter((x) => x.alive && x.comm === 'redis-server');
    // Make the two equal in everything badness counts.
    q!.anonA = p!.anonA;
    q!.anonI = p!.anonI;
    q!.pgt = p!.pgt;
    q!.swap = p!.swap;
    for (const x of [p!, q!]) x.adj = 1000;
    return { m, p: p!, q: q! };
  };

  it('ties go to the later task since 5.x and to the earlier one on 4.x', () => {
    for (const kernel of ['modern', 'classic'] as const) {
      const { m, p, q } = twins(kernel);
      const pick = selectVictim(m.state, m.state.procs.filter((x) => x.alive), totalPagesFor(m.state))!;
      expect(pick.victim.pid).toBe(kernel === 'modern' ? q.pid : p.pid);
    }
  });

  it('4.x sacrifices the chosen task’s child and names the parent in its kill line', () => {
    const m = new Machine({ ramMiB: 990, seed: 1, kernel: 'classic' });
    m.act({ type: 'startContainer', profile: 'web-app', name: 'web' });
    m.step(10);
    const master = m.state.procs.find((x) => x.alive && x.command.startsWith('nginx: master'))!;
    const worker = m.state.procs.find((x) => x.alive && x.command.startsWith('nginx: worker'))!;
    expect(worker.ppid).toBe(master.pid);
    master.adj = 1000;
    const pick = selectVictim(m.state, m.state.procs.filter((x) => x.alive), totalPagesFor(m.state))!;
    expect(pick.chosen.pid).toBe(master.pid);
    // The child with the highest badness goes in its place (the app, which nginx's master also forked here).
    const children = m.state.procs.filter((x) => x.alive && x.ppid === master.pid);
    expect(children.map((x) => x.pid)).toContain(worker.pid);
    expect(pick.victim.ppid).toBe(master.pid);
    const tp = totalPagesFor(m.state);
    for (const ch of children) expect(badness(m.state, pick.victim, tp)!).toBeGreaterThanOrEqual(badness(m.state, ch, tp)!);
    // 5.x kills the chosen task itself.
    m.state.config.kernel = 'modern';
    expect(selectVictim(m.state, m.state.procs.filter((x) => x.alive), totalPagesFor(m.state))!.victim.pid).toBe(master.pid);
  });

  it('a restarted service inherits its supervisor’s oom_score_adj; docker --oom-score-adj reaches every process', () => {
    const m = new Machine({ ramMiB: 990, seed: 1 });
    m.act({ type: 'startContainer', profile: 'dhbox-lab', name: 'lab', oomScoreAdj: 300 });
    m.step(20);
    const inLab = m.state.procs.filter((x) => x.alive && x.cid === 1 && !x.spec.hostSide);
    expect(inLab.length).toBeGreaterThan(5);
    for (const p of inLab) expect(p.adj).toBe(p.spec.oomScoreAdj ?? 300);
    const nb = inLab.find((x) => x.comm === 'jupyter-noteboo')!;
    const sup = inLab.find((x) => x.comm === 'supervisord')!;
    m.act({ type: 'setOomScoreAdj', pid: nb.pid, value: -800 });
    m.act({ type: 'setOomScoreAdj', pid: sup.pid, value: 50 });
    signalProc(m.state, nb, 137);
    m.step(3);
    const again = m.state.procs.find((x) => x.alive && x.cid === 1 && x.comm === 'jupyter-noteboo')!;
    expect(again.pid).not.toBe(nb.pid);
    expect(again.ppid).toBe(sup.pid);
    expect(again.adj).toBe(50);
  });
});

describe('user-space responders', () => {
  it('earlyoom does nothing while swap is free', () => {
    const m = new Machine({ ramMiB: 990, swapMiB: 1024, seed: 1, responders: { earlyoom: {} } });
    labs(m, 4, 150);
    m.step(300);
    expect(m.events().filter((e) => e.kind === 'earlyoom' && e.text.startsWith('earlyoom: sending'))).toEqual([]);
    expect(m.free().swap_free / m.free().swap_total).toBeGreaterThan(0.1);
  });

  it('earlyoom kills before the kernel does once memory and swap are both under 10 %', () => {
    const m = new Machine({ ramMiB: 990, swapMiB: 256, seed: 1, responders: { earlyoom: {} } });
    labs(m, 1, 120);
    m.act({ type: 'startContainer', profile: 'batch-job', name: 'job' });
    m.step(300);
    const sent = m.events().filter((e) => e.kind === 'earlyoom' && e.text.startsWith('earlyoom: sending SIGTERM'));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]!.text).toMatch(/^earlyoom: sending SIGTERM to process \d+ uid 0 "python3": oom_score \d+, VmRSS \d+ MiB$/);
    expect(m.state.ooms).toEqual([]);
    expect(m.docker().find((d) => d.name === 'job')).toBeDefined();
  });

  it('systemd-oomd kills a whole container at once under sustained pressure', () => {
    const m = new Machine({ ramMiB: 990, seed: 1, responders: { oomd: {} } });
    labs(m, 3, 150);
    m.act({ type: 'startContainer', profile: 'dhbox-lab', name: 'lab4' });
    const alive = () => new Set(m.state.procs.filter((p) => p.alive).map((p) => p.pid));
    let killedText = '';
    let seen = m.eventCount();
    while (!killedText && m.t < 1200) {
      const before = alive();
      const cids = new Map(m.state.procs.map((p) => [p.pid, p.cid] as const));
      m.tick();
      const ev = m.eventsSince(seen).find((e) => e.kind === 'oomd' && e.text.includes('Killed'));
      seen = m.eventCount();
      if (!ev) continue;
      killedText = ev.text;
      const c = m.state.containers.find((x) => x.name === ev.container)!;
      // Every process of that container died in this one tick.
      const gone = [...before].filter((pid) => !alive().has(pid));
      const ofC = [...before].filter((pid) => cids.get(pid) === c.id && !m.state.procs.find((p) => p.pid === pid)?.spec.hostSide);
      expect(ofC.length).toBeGreaterThan(5);
      for (const pid of ofC) expect(gone).toContain(pid);
    }
    expect(killedText).toMatch(/^systemd-oomd: Killed \/system\.slice\/docker-[0-9a-f]{64}\.scope due to memory pressure for \/system\.slice being \d+\.\d\d% > 60\.00% for > 30s with reclaim activity$/);
  });

  it('systemd-oomd compares the slice’s full avg10 with the limit, not some', () => {
    // One job throttled by memory.high (stalled, reclaiming into swap) beside one that
    // keeps a quarter of the CPU busy: the slice is in `some` most of the time, but in
    // `full` only while the busy job is off the CPU.
    const run = (pressureLimit: number) => {
      const m = new Machine({ ramMiB: 4096, swapMiB: 2048, cpus: 1, seed: 1, responders: { oomd: { pressureLimit } } });
      m.act({ type: 'startContainer', profile: 'batch-job', name: 'busy' });
      m.act({ type: 'startContainer', profile: 'batch-job', name: 'job', memHighMiB: 150 });
      let someOver = 0;
      let longestSomeOver = 0;
      let maxFull = 0;
      const from = m.eventCount();
      while (m.t < 120) {
        m.step(0.1);
        const psi = m.state.responders.oomd!.psi;
        someOver = psi.some[0]! > pressureLimit ? someOver + 0.1 : 0;
        longestSomeOver = Math.max(longestSomeOver, someOver);
        maxFull = Math.max(maxFull, psi.full[0]!);
      }
      const kills = m.eventsSince(from).filter((e) => e.kind === 'oomd' && e.text.includes(' Killed '));
      return { m, kills, longestSomeOver, maxFull };
    };
    const high = run(80);
    // `some` stayed over 80 % far longer than the 30 s duration, with reclaim going on…
    expect(high.longestSomeOver).toBeGreaterThan(40);
    // …but `full` never reached it, so oomd left both jobs alone.
    expect(high.maxFull).toBeLessThan(80);
    expect(high.kills).toEqual([]);
    expect(high.m.cgroups().every((c) => c.state === 'running')).toBe(true);
    // A limit under the full line is crossed: oomd kills the reclaiming job and prints its full reading.
    const low = run(40);
    expect(low.kills).toHaveLength(1);
    const job = low.m.state.containers.find((c) => c.name === 'job')!;
    expect(low.kills[0]!.text).toMatch(new RegExp(`^systemd-oomd: Killed /system\\.slice/docker-${job.hexId}\\.scope due to memory pressure for /system\\.slice being (\\d+\\.\\d\\d)% > 40\\.00% for > 30s with reclaim activity$`));
    expect(job.hexId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('systemd-oomd’s ManagedOOMSwap=kill waits until memory and swap are both used past the limit', () => {
    // A small swap fills while memory still has more than 10 % available.
    const m = new Machine({ ramMiB: 990, swapMiB: 128, seed: 1, responders: { oomd: { pressureLimit: 99.9 } } });
    let swapOnlyOver = 0;
    let seen = m.eventCount();
    const kills: string[] = [];
    for (let i = 1; i <= 4; i++) {
      m.act({ type: 'startContainer', profile: 'dhbox-lab', name: `lab${i}` });
      for (let j = 0; j < 1000; j++) {
        m.tick();
        const mi = m.meminfo();
        if (mi.SwapFree < mi.SwapTotal * 0.1 && mi.MemAvailable >= mi.MemTotal * 0.1) swapOnlyOver++;
        kills.push(...m.eventsSince(seen).filter((e) => e.kind === 'oomd' && e.text.includes(' Killed ')).map((e) => e.text));
        seen = m.eventCount();
      }
    }
    // The old rule (swap alone) would have killed in those seconds.
    expect(swapOnlyOver).toBeGreaterThan(10);
    for (const text of kills) {
      const x = /^systemd-oomd: Killed \/system\.slice\/docker-[0-9a-f]{64}\.scope due to memory used \((\d+)\) \/ total \((\d+)\) and swap used \((\d+)\) \/ total \((\d+)\) being more than 90\.00%$/.exec(text);
      expect(x).not.toBeNull();
      expect(Number(x![1]) / Number(x![2])).toBeGreaterThan(0.9);
      expect(Number(x![3]) / Number(x![4])).toBeGreaterThan(0.9);
    }
  });

  it('the kubelet evicts a BestEffort pod before a Guaranteed one, and an eviction is not an OOM kill', () => {
    const m = new Machine({ ramMiB: 990, seed: 1, responders: { kubelet: {} } });
    m.act({ type: 'startContainer', profile: 'dhbox-lab', name: 'guaranteed', memLimitMiB: 260, requestMiB: 260 });
    m.step(150);
    m.act({ type: 'startContainer', profile: 'dhbox-lab', name: 'besteffort' });
    m.step(150);
    m.act({ type: 'startContainer', profile: 'dhbox-lab', name: 'burstable', requestMiB: 100 });
    m.step(150);
    m.act({ type: 'startContainer', profile: 'dhbox-lab', name: 'besteffort2' });
    m.step(200);
    const cg = Object.fromEntries(m.cgroups().map((c) => [c.name, c]));
    expect(cg.guaranteed!.qos).toBe('Guaranteed');
    expect(cg.besteffort!.qos).toBe('BestEffort');
    expect(cg.burstable!.qos).toBe('Burstable');
    const evicted = m.cgroups().filter((c) => c.evicted).map((c) => c.name);
    expect(evicted[0]).toMatch(/^besteffort/);
    expect(cg.guaranteed!.evicted).toBe(false);
    for (const c of m.cgroups().filter((x) => x.evicted)) {
      expect(c.oomKilled).toBe(false);
      expect(c.state).toBe('exited');
    }
    // QoS classes map onto oom_score_adj as the kubelet sets them.
    const adj = (name: string) => m.state.procs.find((p) => p.alive && p.comm === 'supervisord' && m.state.containers.find((c) => c.id === p.cid)?.name === name)?.adj;
    expect(adj('guaranteed')).toBe(-997);
    expect(adj('burstable')).toBe(1000 - Math.floor((1000 * 100 * 256) / m.state.totalPages));
  });
});

describe('cgroup paths in the OOM report follow the kernel era', () => {
  // cgroup v2 with Docker's systemd driver on modern kernels; cgroup v1 with the cgroupfs driver on 4.x.
  for (const kernel of ['modern', 'classic'] as const) {
    it(`${kernel}: a memcg kill names the container's cgroup as Machine.cgroups() does, with its full 64-hex ID`, () => {
      const m = new Machine({ ramMiB: 2048, seed: 1, kernel });
      m.act({ type: 'startContainer', profile: 'dhbox-lab', name: 'lab', memLimitMiB: 200, oomGroup: true });
      const c = m.state.containers[0]!;
      while (m.state.ooms.length === 0 && m.t < 400) m.tick();
      const k = m.state.ooms.at(-1)!;
      const path = kernel === 'modern' ? `/system.slice/docker-${c.hexId}.scope` : `/docker/${c.hexId}`;
      expect(c.hexId).toMatch(/^[0-9a-f]{64}$/);
      expect(m.cgroups()[0]!.path).toBe(path);
      expect(k.memcg?.path).toBe(path);
      expect(k.victimMemcgPath).toBe(path);
      expect(k.group?.path).toBe(path);
      const text = formatOomKill(k, kernel);
      expect(text).toContain(`Memory cgroup stats for ${path}:`);
      expect(text).toContain(`Tasks in ${path} are going to be killed due to memory.oom.group set`);
      if (kernel === 'modern') {
        expect(text).toContain(`,cpuset=docker-${c.hexId}.scope,mems_allowed=0,oom_memcg=${path},task_memcg=${path},task=`);
        expect(text).not.toContain('/docker/');
      } else {
        expect(text).toContain(` cpuset=${c.hexId} mems_allowed=0`);
        expect(text).not.toContain('.scope');
      }
    });
  }

  it('modern: a global kill of a container’s task names its scope in task_memcg', () => {
    const m = new Machine({ ramMiB: 512, seed: 1 });
    m.act({ type: 'startContainer', profile: 'batch-job', name: 'job' });
    const c = m.state.containers[0]!;
    while (m.state.ooms.length === 0 && m.t < 400) m.tick();
    const k = m.state.ooms.at(-1)!;
    expect(k.memcg).toBeUndefined();
    expect(formatOomKill(k)).toContain(`,global_oom,task_memcg=/system.slice/docker-${c.hexId}.scope,task=python3,`);
  });
});

describe('links carry the memory knobs and the responders', () => {
  const ctx = { presets: ['thrashing'], profiles: CONTAINER_PROFILE_NAMES, apps: ['dhbox-web'] };
  it('parses and prints them back unchanged', () => {
    for (const token of [
      '12@start:dhbox-lab:name=lab1:limit=300:high=250:low=100:min=50:swap=0:group=1:adj=-500:request=200',
      '30@start:batch-job:limit=256:swap=max',
      '40.5@update:lab1:limit=400:swap=200',
      '50@earlyoom:on:m=10:s=5',
      '60@oomd:on:limit=50:duration=20:swap=80',
      '70@kubelet:on:hard=150',
      '80@earlyoom:off',
    ]) {
      const parsed = parseAction(token, ctx);
      expect(typeof parsed).not.toBe('string');
      expect(formatAction(parsed as Exclude<typeof parsed, string>)).toBe(token);
    }
    for (const bad of ['1@start:dhbox-lab:limit=-5', '1@start:dhbox-lab:swap=lots', '1@update:lab1', '1@oomd:maybe', '1@start:dhbox-lab:group=2']) {
      expect(typeof parseAction(bad, ctx)).toBe('string');
    }
  });

  it('docker update lowers a running lab’s limit: the lab reclaims at once', () => {
    const m = new Machine({ ramMiB: 2048, seed: 1 });
    m.act({ type: 'startContainer', profile: 'dhbox-lab', name: 'lab' });
    m.step(60);
    const c = m.state.containers[0]!;
    expect(mib(memcgUsage(m.state, c))).toBeGreaterThan(190);
    m.act({ type: 'updateContainer', name: 'lab', memLimitMiB: 180 });
    expect(mib(memcgUsage(m.state, c))).toBeLessThanOrEqual(180);
    expect(c.events.max).toBeGreaterThan(0);
  });
});

describe('memory.current read for every container at once', () => {
  it('equals each cgroup counted alone, swap included', () => {
    const m = new Machine({ ramMiB: 990, swapMiB: 512, seed: 2 });
    labs(m, 4, 120);
    m.act({ type: 'startContainer', profile: 'batch-job', name: 'job', memLimitMiB: 200 });
    m.step(120);
    const totals = memcgTotals(m.state);
    expect(m.state.swapUsed).toBeGreaterThan(0);
    for (const c of m.state.containers) {
      expect(totals.get(c.id)).toEqual({ usage: memcgUsage(m.state, c), swap: memcgSwap(m.state, c) });
    }
  });
});
