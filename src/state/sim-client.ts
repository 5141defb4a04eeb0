/**
 * The page's side of the simulation worker: one worker per page, started when a
 * figure first needs its machine, shared by every simulator and comparison on the page.
 */
import type { Command, FromWorker, ToWorker } from './sim-protocol';

let worker: Worker | null = null;
let nextGid = 1;
const listeners = new Map<number, (m: FromWorker) => void>();

function theWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./sim-worker.ts', import.meta.url), { type: 'module', name: 'simulation' });
    worker.onmessage = (e: MessageEvent<FromWorker>) => listeners.get(e.data.gid)?.(e.data);
    worker.onerror = (e) => {
      const message = `the simulation stopped: ${e.message || 'its worker failed to load'}`;
      for (const [gid, listen] of listeners) listen({ gid, seq: Number.MAX_SAFE_INTEGER, type: 'error', message });
    };
  }
  return worker;
}

/** A figure's line to the worker: send() returns the command's sequence number. */
export interface Channel {
  send(command: Command): number;
  close(): void;
}

export function channel(listen: (m: FromWorker) => void): Channel {
  const gid = nextGid++;
  let seq = 0;
  listeners.set(gid, listen);
  return {
    send(command: Command): number {
      seq++;
      theWorker().postMessage({ ...command, gid, seq } satisfies ToWorker);
      return seq;
    },
    close(): void {
      if (worker) worker.postMessage({ type: 'close', gid, seq: ++seq } satisfies ToWorker);
      listeners.delete(gid);
    },
  };
}
