import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatPs, psPmem, psUser } from '../../../src/engine/format/ps';
import { dockerInspectState, dockerStatus, formatDockerPs, humanDuration, ellipsis } from '../../../src/engine/format/docker';
import type { DockerContainer, PsRow } from '../../../src/engine/format/types';

describe('ps table', () => {
  it('uses procps widths', () => {
    const rows: PsRow[] = [
      { pid: 1, user: 'root', rssKb: 11872, stat: 'Ss', comm: 'systemd', oomScore: 0 },
      { pid: 21580, user: 'jovyan', rssKb: 38012, stat: 'Sl', comm: 'jupyter-notebook', oomScore: 704 },
      { pid: 880, user: 'systemd-resolve', rssKb: 5120, stat: 'Ss', comm: 'systemd-resolve', oomScore: 667 },
    ];
    expect(formatPs(rows, { memTotalKb: 1013840 }).split('\n')).toEqual([
      '    PID USER       RSS %MEM STAT  OOM COMMAND',
      '      1 root     11872  1.1 Ss      0 systemd',
      '  21580 jovyan   38012  3.7 Sl    704 jupyter-noteboo',
      '    880 systemd+  5120  0.5 Ss    667 systemd-resolve',
    ]);
  });

  it('%MEM truncates and caps at 99.9; USER is cut with "+"', () => {
    expect(psPmem(1013840, 1013840)).toBe('99.9');
    expect(psPmem(0, 1013840)).toBe(' 0.0');
    expect(psUser('systemd-network')).toBe('systemd+');
    expect(psUser('postgres')).toBe('postgres');
  });

  it('an oversized value uses free padding before it, keeping at least one space', () => {
    const rows: PsRow[] = [{ pid: 7, user: 'root', rssKb: 1234567, stat: 'R', comm: 'x', oomScore: 5 }];
    const [head, row] = formatPs(rows, { memTotalKb: 2000000 }).split('\n');
    // The 7-digit RSS takes the slack USER left after "root"; the columns after it stay in place.
    expect(row).toBe('      7 root   1234567 61.7 R       5 x');
    expect(head?.indexOf('COMMAND')).toBe(row?.indexOf('x'));
  });

  it('COMMAND starts at the header\'s column whenever values fit their widths', () => {
    const row = fc.record({
      pid: fc.integer({ min: 1, max: 4194304 }),
      user: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
      rssKb: fc.nat({ max: 99999 }),
      stat: fc.constantFrom('R', 'S', 'D', 'Ss', 'Sl', 'D+', 'Z', 'Ssl'),
      comm: fc.stringMatching(/^[a-z][a-z0-9._-]{0,25}$/),
      oomScore: fc.nat({ max: 2000 }),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 8 }), (rows) => {
        const lines = formatPs(rows, { memTotalKb: 1013840 }).split('\n');
        const col = lines[0]!.indexOf('COMMAND');
        for (const l of lines.slice(1)) {
          expect(l.length).toBeLessThanOrEqual(col + 15);
          expect(l[col - 1]).toBe(' ');
          expect(l[col]).not.toBe(' ');
        }
      }),
    );
  });
});

describe('docker', () => {
  it('uses go-units HumanDuration wording', () => {
    expect(humanDuration(0.4)).toBe('Less than a second');
    expect(humanDuration(1)).toBe('1 second');
    expect(humanDuration(59)).toBe('59 seconds');
    expect(humanDuration(60)).toBe('About a minute');
    expect(humanDuration(119)).toBe('About a minute');
    expect(humanDuration(300)).toBe('5 minutes');
    expect(humanDuration(3599)).toBe('59 minutes');
    expect(humanDuration(3600)).toBe('About an hour');
    expect(humanDuration(2 * 3600)).toBe('2 hours');
    expect(humanDuration(47 * 3600)).toBe('47 hours');
    expect(humanDuration(48 * 3600)).toBe('2 days');
    expect(humanDuration(15 * 86400)).toBe('2 weeks');
    expect(humanDuration(70 * 86400)).toBe('2 months');
    expect(humanDuration(800 * 86400)).toBe('2 years');
  });

  const c = (over: Partial<DockerContainer>): DockerContainer => ({
    id: 'f3a1c2b4d5e6a7b8c9d0', image: 'dhbox/jupyter', command: 'tini -- start-notebook.sh', createdAt: 0,
    state: { kind: 'running', startedAt: 0 }, name: 'lab1', ...over,
  });

  it('prints statuses as docker does', () => {
    expect(dockerStatus(c({ state: { kind: 'running', startedAt: 0 } }), 300)).toBe('Up 5 minutes');
    expect(dockerStatus(c({ state: { kind: 'restarting', exitCode: 137, finishedAt: 98 } }), 100)).toBe('Restarting (137) 2 seconds ago');
    expect(dockerStatus(c({ state: { kind: 'exited', exitCode: 137, finishedAt: 97 } }), 100)).toBe('Exited (137) 3 seconds ago');
  });

  it('prints the empty table header exactly', () => {
    expect(formatDockerPs([], 0)).toBe('CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES');
  });

  it('sizes columns to content plus three (minimum ten), newest first', () => {
    const list = [
      c({ id: 'aaaaaaaaaaaa1111', name: 'lab1', createdAt: 0 }),
      c({ id: 'bbbbbbbbbbbb2222', name: 'lab2', createdAt: 60, image: 'nginx', command: 'nginx -g daemon off;', ports: '0.0.0.0:80->80/tcp', state: { kind: 'restarting', exitCode: 137, finishedAt: 3598 } }),
      c({ id: 'cccccccccccc3333', name: 'old', state: { kind: 'exited', exitCode: 0, finishedAt: 10 } }),
    ];
    // Widths by tabwriter's rule: 12+3, 13+3, 22+3, 17+3, 30+3, 18+3.
    expect(formatDockerPs(list, 3600).split('\n')).toEqual([
      'CONTAINER ID   IMAGE           COMMAND                  CREATED             STATUS                           PORTS                NAMES',
      'bbbbbbbbbbbb   nginx           "nginx -g daemon off;"   59 minutes ago      Restarting (137) 2 seconds ago   0.0.0.0:80->80/tcp   lab2',
      'aaaaaaaaaaaa   dhbox/jupyter   "tini -- start-noteb…"   About an hour ago   Up About an hour                                      lab1',
    ]);
    expect(ellipsis('tini -- start-notebook.sh', 20)).toBe('tini -- start-noteb…');
  });

  it('column starts line up across rows', () => {
    const cont = fc.record({
      id: fc.stringMatching(/^[0-9a-f]{64}$/),
      image: fc.stringMatching(/^[a-z][a-z0-9/:.-]{0,30}$/),
      command: fc.stringMatching(/^[a-z][a-z0-9 ./-]{0,40}$/),
      createdAt: fc.nat({ max: 100000 }),
      state: fc.constant({ kind: 'running' as const, startedAt: 0 }),
      name: fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/),
    });
    fc.assert(
      fc.property(fc.array(cont, { maxLength: 6 }), (list) => {
        const lines = formatDockerPs(list, 200000).split('\n');
        const starts = (l: string) => ['IMAGE', 'COMMAND', 'CREATED'].map((h) => lines[0]!.indexOf(h)).map((i) => l[i - 1]);
        for (const l of lines) expect(starts(l)).toEqual([' ', ' ', ' ']);
        expect(lines[0]!.indexOf('IMAGE')).toBe(15);
      }),
    );
  });

  it('gives docker inspect State fields for an OOM kill', () => {
    const s = dockerInspectState(c({ oomKilled: true, state: { kind: 'exited', exitCode: 137, finishedAt: 10.5 } }), { epochMs: Date.UTC(2017, 5, 1), startedAt: 1 });
    expect(s).toMatchObject({ Status: 'exited', Running: false, OOMKilled: true, ExitCode: 137, Pid: 0 });
    expect(s.FinishedAt).toBe('2017-06-01T00:00:10.5Z');
    expect(s.StartedAt).toBe('2017-06-01T00:00:01Z');
  });
});
