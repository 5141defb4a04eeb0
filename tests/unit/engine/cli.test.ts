import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const sim = (...args: string[]) =>
  spawnSync(process.execPath, [`${root}node_modules/tsx/dist/cli.mjs`, `${root}src/cli/sim.ts`, ...args], { encoding: 'utf8', cwd: root });

describe('sim CLI', () => {
  it('prints the JSON shape of the issue', () => {
    const r = sim('--scenario', 'page-cache', '--format', 'json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['scenario', 'machine', 'marks', 'samples', 'dmesg']);
    const samples = out.samples as { t: number; free: Record<string, number>; vmstat: Record<string, number>; psi: unknown }[];
    expect(samples[0]!.t).toBe(5);
    expect(samples[1]!.t - samples[0]!.t).toBe(5);
    expect(Object.keys(samples[0]!.vmstat)).toEqual(['r', 'b', 'swpd', 'free', 'buff', 'cache', 'si', 'so', 'bi', 'bo', 'in', 'cs', 'us', 'sy', 'id', 'wa', 'st']);
    expect(Object.keys(samples[0]!.free)).toEqual(['total', 'used', 'free', 'shared', 'buff_cache', 'available', 'swap_total', 'swap_used', 'swap_free']);
    const marks = out.marks as Record<string, { t: number; free: unknown }>;
    expect(marks.cold!.t).toBe(30);
  });

  it('honours --ram, --swap and --seed', () => {
    const r = sim('--scenario', 'page-cache', '--format', 'json', '--ram', '2048', '--swap', '512', '--seed', '7');
    const out = JSON.parse(r.stdout) as { machine: { ram_mib: number; swap_mib: number; seed: number }; samples: { free: { total: number; swap_total: number } }[] };
    expect(out.machine).toMatchObject({ ram_mib: 2048, swap_mib: 512, seed: 7 });
    expect(out.samples[0]!.free.total).toBe(2048);
    expect(out.samples[0]!.free.swap_total).toBe(512);
  });

  it('lists the scenarios for an unknown name, exit 2', () => {
    const r = sim('--scenario', 'nope');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('seed-swap');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('rejects bad flag values with one line, exit 2', () => {
    for (const args of [['--scenario', 'seed', '--ram', '-5'], ['--scenario', 'seed', '--ram', 'lots'], ['--scenario', 'seed', '--format', 'xml'], ['--bogus']]) {
      const r = sim(...args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });

  it('documents everything in --help', () => {
    const r = sim('--help');
    expect(r.status).toBe(0);
    for (const flag of ['--scenario', '--format', '--swap', '--ram', '--seed', 'seed-swap', 'memory-limits']) expect(r.stdout).toContain(flag);
  });
});
