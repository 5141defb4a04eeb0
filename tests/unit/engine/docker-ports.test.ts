/**
 * `docker ps` publishes each host port once: four labs from one profile get four
 * host ports, as Docker would refuse a second container on the same one.
 */
import { describe, expect, it } from 'vitest';
import { bootPreset } from '../../../src/state/ui-context';
import { formatDockerPs } from '../../../src/engine/format/docker';

describe('docker ps ports', () => {
  it('gives every running lab its own host port, in the order they were created', { timeout: 30_000 }, () => {
    const b = bootPreset({ preset: 'oom-loop' });
    const text = formatDockerPs(b.m.docker(), b.m.t, { all: true });
    const ports = [...text.matchAll(/0\.0\.0\.0:(\d+)->8888\/tcp\s+(\S+)/g)].map((m) => [m[2], Number(m[1])] as const);
    expect(ports.length).toBe(4);
    expect(new Set(ports.map(([, p]) => p)).size).toBe(4);
    expect(Object.fromEntries(ports)).toEqual({ lab1: 8080, lab2: 8081, lab3: 8082, lab4: 8083 });
  });
});
