import type { DockerContainer } from './types';

/**
 * `docker ps` as the docker CLI prints it: a text/tabwriter with minwidth 10,
 * tabwidth 1, padding 3, padchar ' ' — every column but the last is as wide as
 * its widest cell plus 3, and at least 10.
 */

/** go-units HumanDuration (seconds). */
export function humanDuration(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 1) return 'Less than a second';
  if (s === 1) return '1 second';
  if (s < 60) return `${s} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(seconds / 3600 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(seconds / 3600 / 24 / 365)} years`;
}

/** The STATUS cell. */
export function dockerStatus(c: DockerContainer, now: number): string {
  const st = c.state;
  switch (st.kind) {
    case 'created':
      return 'Created';
    case 'running':
      return `Up ${humanDuration(now - st.startedAt)}`;
    case 'paused':
      return `Up ${humanDuration(now - st.startedAt)} (Paused)`;
    case 'restarting':
      return `Restarting (${st.exitCode}) ${humanDuration(now - st.finishedAt)} ago`;
    case 'exited':
      return `Exited (${st.exitCode}) ${humanDuration(now - st.finishedAt)} ago`;
  }
}

/** formatter.Ellipsis: cut to maxWidth display characters, the last being "…". */
export function ellipsis(s: string, maxWidth: number): string {
  const chars = Array.from(s);
  if (chars.length <= maxWidth) return s;
  return chars.slice(0, maxWidth - 1).join('') + '…';
}

/** strconv.Quote for the printable ASCII/Unicode text docker commands contain. */
function goQuote(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t') + '"';
}

export interface DockerPsOptions {
  /** `-a`: include created and exited containers. */
  all?: boolean;
  /** `--no-trunc`: full id and command. */
  noTrunc?: boolean;
}

export const DOCKER_PS_HEADERS = ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'] as const;

/** The cells of one row. */
export function dockerPsCells(c: DockerContainer, now: number, opts: DockerPsOptions = {}): string[] {
  const trunc = !(opts.noTrunc ?? false);
  return [
    trunc ? c.id.slice(0, 12) : c.id,
    c.image,
    goQuote(trunc ? ellipsis(c.command, 20) : c.command),
    `${humanDuration(now - c.createdAt)} ago`,
    dockerStatus(c, now),
    c.ports ?? '',
    c.name,
  ];
}

/** Go text/tabwriter(minwidth 10, tabwidth 1, padding 3, ' ', 0) over tab-separated cells. */
export function tabwrite(rows: readonly (readonly string[])[], minWidth = 10, padding = 3): string {
  const ncols = Math.max(0, ...rows.map((r) => r.length));
  const widths: number[] = [];
  for (let i = 0; i < ncols - 1; i++) {
    const w = Math.max(...rows.map((r) => Array.from(r[i] ?? '').length)) + padding;
    widths.push(Math.max(minWidth, w));
  }
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i < r.length - 1 ? cell + ' '.repeat((widths[i] ?? 0) - Array.from(cell).length) : cell))
        .join(''),
    )
    .join('\n');
}

function shown(c: DockerContainer, all: boolean): boolean {
  return all || c.state.kind === 'running' || c.state.kind === 'restarting' || c.state.kind === 'paused';
}

/** `docker ps` (newest first, as the daemon lists them). */
export function formatDockerPs(containers: readonly DockerContainer[], now: number, opts: DockerPsOptions = {}): string {
  const list = containers
    .filter((c) => shown(c, opts.all ?? false))
    .slice()
    .sort((a, b) => b.createdAt - a.createdAt);
  return tabwrite([[...DOCKER_PS_HEADERS], ...list.map((c) => dockerPsCells(c, now, opts))]);
}

/** `docker ps -q`: short ids, one per line. */
export function formatDockerPsQuiet(containers: readonly DockerContainer[], opts: DockerPsOptions = {}): string {
  return containers
    .filter((c) => shown(c, opts.all ?? false))
    .slice()
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((c) => c.id.slice(0, 12))
    .join('\n');
}

/** The State object of `docker inspect`. */
export interface DockerInspectState {
  Status: 'created' | 'running' | 'paused' | 'restarting' | 'exited';
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** RFC3339Nano (Go): trailing zeros of the fraction dropped. epochMs is the wall time of simulation t = 0. */
export function rfc3339Nano(t: number, epochMs: number): string {
  const ms = epochMs + t * 1000;
  const whole = Math.floor(ms / 1000);
  const nanos = Math.round((ms / 1000 - whole) * 1e9);
  const base = new Date(whole * 1000).toISOString().slice(0, 19);
  const frac = nanos > 0 ? '.' + String(nanos).padStart(9, '0').replace(/0+$/, '') : '';
  return `${base}${frac}Z`;
}

export interface InspectOptions {
  /** Wall-clock milliseconds (UTC) at simulation t = 0. Default 2017-06-01T12:00:00Z. */
  epochMs?: number;
  /** Last start time, for containers that are no longer running. */
  startedAt?: number;
}

export function dockerInspectState(c: DockerContainer, opts: InspectOptions = {}): DockerInspectState {
  const epoch = opts.epochMs ?? Date.UTC(2017, 5, 1, 12, 0, 0);
  const st = c.state;
  const time = (t: number | undefined) => (t === undefined ? ZERO_TIME : rfc3339Nano(t, epoch));
  const startedAt = st.kind === 'running' || st.kind === 'paused' ? st.startedAt : opts.startedAt;
  const finishedAt = st.kind === 'restarting' || st.kind === 'exited' ? st.finishedAt : undefined;
  const exitCode = st.kind === 'restarting' || st.kind === 'exited' ? st.exitCode : 0;
  return {
    Status: st.kind,
    Running: st.kind === 'running' || st.kind === 'paused' || st.kind === 'restarting',
    Paused: st.kind === 'paused',
    Restarting: st.kind === 'restarting',
    OOMKilled: c.oomKilled ?? false,
    Dead: false,
    Pid: st.kind === 'running' || st.kind === 'paused' ? (c.pid ?? 0) : 0,
    ExitCode: exitCode,
    Error: '',
    StartedAt: time(startedAt),
    FinishedAt: time(finishedAt),
  };
}

/** `docker inspect --format '{{json .State}}'`-like text, indented as `docker inspect` indents it. */
export function formatDockerInspectState(c: DockerContainer, opts: InspectOptions = {}): string {
  return JSON.stringify(dockerInspectState(c, opts), null, 4);
}
