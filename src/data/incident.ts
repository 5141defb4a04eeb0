/**
 * The incident's recorded figures (copied from the write-up's transcripts), typed
 * for the site. These are observations, not model output: chapter 1 shows them as
 * they were read off the machine.
 */
import raw from './seed-observations.json' with { type: 'json' };
import type { FreeRowMiB } from '../engine/format/free';

export type IncidentMark = 'boot' | 'app-started' | 'container-1' | 'container-2' | 'container-4';

export interface IncidentSnapshot extends FreeRowMiB {
  mark: IncidentMark;
  /** Short name of the moment, for sliders and tables. */
  label: string;
  /** One line on what had just happened. */
  note: string;
}

const MOMENTS: Record<IncidentMark, { label: string; note: string }> = {
  boot: { label: 'Boot', note: 'The VM has just booted; nothing of ours runs yet.' },
  'app-started': { label: 'Web app started', note: 'The small gunicorn/Flask web app is running.' },
  'container-1': { label: 'Lab 1', note: 'The first Jupyter lab container has started.' },
  'container-2': { label: 'Lab 2', note: 'The second lab container has started.' },
  'container-4': { label: 'Lab 4', note: 'Four labs run; the box is thrashing and barely responds.' },
};

function isMark(mark: string): mark is IncidentMark {
  return Object.hasOwn(MOMENTS, mark);
}

/** The five `free -m` snapshots, in the order they were taken. */
export const incidentSnapshots: IncidentSnapshot[] = raw.free_m.map((row) => {
  if (!isMark(row.mark)) throw new Error(`seed-observations.json: unknown free_m mark "${row.mark}"`);
  return {
    ...MOMENTS[row.mark],
    mark: row.mark,
    total: row.total,
    used: row.used,
    free: row.free,
    shared: row.shared,
    buff_cache: row.buff_cache,
    available: row.available,
    swap_total: raw.machine.swap_mib,
    swap_used: 0,
    swap_free: raw.machine.swap_mib,
  };
});

export function incidentSnapshot(mark: IncidentMark): IncidentSnapshot {
  const found = incidentSnapshots.find((s) => s.mark === mark);
  if (!found) throw new Error(`no incident snapshot for mark "${mark}"`);
  return found;
}

/**
 * The same figures as procps-ng 4.0.1 and later would print them: "used" becomes
 * total − available. (The recorded rows are MiB, so this is exact to the MiB only
 * up to the truncation of each column.)
 */
export function asModern(row: FreeRowMiB): FreeRowMiB {
  return { ...row, used: row.total - row.available };
}
