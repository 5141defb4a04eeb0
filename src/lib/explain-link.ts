/**
 * "Open this in the simulator": a playground link for a box like the pasted
 * one — its RAM, swap and swappiness, and about as much memory in use, made of
 * the only workload the simulator has (lab containers). Built with the link
 * format's own functions, so it stays valid as the format grows.
 */
import type { MachineEstimate } from '../engine/parse/diagnose';
import { LIMITS, withLink, type SimLink, type TimedLinkAction } from '../state/link';

/** Figures of the simulator the link opens, computed at build time from the engine. */
export interface SimBasis {
  /** The playground preset's starting second. */
  start: number;
  /** Memory in use (total − available) on the playground box at its start, MiB. */
  baseUsedMiB: number;
  /** What one lab container adds to it, MiB. */
  labMiB: number;
  /** Page and simulator id the link opens. */
  path: string;
  simId: string;
}

export interface SimulatorLink {
  href: string;
  link: SimLink;
  labs: number;
  /** Where the simulated box differs from the pasted one, in words. */
  notes: string[];
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

export function simulatorLink(machine: MachineEstimate, basis: SimBasis): SimulatorLink | undefined {
  if (machine.ramMiB === undefined) return undefined;
  const notes: string[] = [];
  const ramMiB = clamp(Math.round(machine.ramMiB), LIMITS.ramMiB.min, LIMITS.ramMiB.max);
  if (ramMiB !== Math.round(machine.ramMiB)) notes.push(`The simulator's box has ${LIMITS.ramMiB.min} to ${LIMITS.ramMiB.max} MiB of RAM; yours has ${Math.round(machine.ramMiB)} MiB, so it opens with ${ramMiB} MiB.`);
  const link: SimLink = { preset: 'playground', ramMiB };
  if (machine.swapMiB !== undefined) {
    link.swapMiB = clamp(Math.round(machine.swapMiB), LIMITS.swapMiB.min, LIMITS.swapMiB.max);
    if (link.swapMiB !== Math.round(machine.swapMiB)) notes.push(`Swap is capped at ${LIMITS.swapMiB.max} MiB in the simulator.`);
  } else notes.push('The paste does not say how much swap the box has; the simulator keeps its default.');
  if (machine.swappiness !== undefined) link.swappiness = clamp(machine.swappiness, LIMITS.swappiness.min, LIMITS.swappiness.max);
  let labs = 0;
  if (machine.usedMiB !== undefined && basis.labMiB > 0) {
    labs = clamp(Math.round((machine.usedMiB - basis.baseUsedMiB) / basis.labMiB), 0, 12);
    const actions: TimedLinkAction[] = [];
    for (let i = 0; i < labs; i++) actions.push({ t: basis.start + 1 + i * 30, action: { type: 'startContainer', profile: 'dhbox-lab' } });
    if (actions.length) {
      link.actions = actions;
      link.t = basis.start + 1 + labs * 30 + 60;
    }
    notes.push(
      `Memory in use is approximate: the simulator's only workload is lab containers of about ${Math.round(basis.labMiB)} MiB each, so your ${Math.round(machine.usedMiB)} MiB in use becomes the web app plus ${labs} lab${labs === 1 ? '' : 's'}. What your programs do with their memory (how much of it they touch, what they read) is not in a paste.`,
    );
  } else notes.push('The paste does not say how much memory is in use; the simulator starts with its web app only.');
  const href = `${basis.path}${withLink('', link, basis.simId)}#${basis.simId === 'playground' ? 'box' : basis.simId}`;
  return { href, link, labs, notes };
}
