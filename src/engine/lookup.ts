/**
 * Indexes over the state's lists, so finding a file by key or a container by id
 * costs the same with 4 containers or 512 (the kernel finds a page-cache mapping
 * through its inode and a memcg through its id, never by walking every one).
 *
 * The state stays plain JSON: an index is built beside it, keyed by the array it
 * indexes (a state read back with fromJSON gets fresh arrays, and so fresh indexes),
 * and catches up when the array has grown. Files and containers are only ever
 * appended, and their keys and ids never change.
 */
import type { Container, FileObj } from './model';

interface Index<T> {
  n: number;
  map: Map<string | number, T>;
}

const fileIndexes = new WeakMap<FileObj[], Index<FileObj>>();
const containerIndexes = new WeakMap<Container[], Index<Container>>();

function indexOf<T>(cache: WeakMap<T[], Index<T>>, list: T[], keyOf: (x: T) => string | number): Map<string | number, T> {
  let ix = cache.get(list);
  if (!ix || ix.n > list.length) {
    ix = { n: 0, map: new Map() };
    cache.set(list, ix);
  }
  for (; ix.n < list.length; ix.n++) {
    const x = list[ix.n]!;
    const k = keyOf(x);
    // The first of equal keys wins, as a front-to-back search finds it.
    if (!ix.map.has(k)) ix.map.set(k, x);
  }
  return ix.map;
}

/** The file with this key (the first one, as a scan from the front would find). */
export function fileByKey(files: FileObj[], key: string): FileObj | undefined {
  return indexOf(fileIndexes, files, (f) => f.key).get(key);
}

/** The container with this id. */
export function containerWithId(containers: Container[], id: number): Container | undefined {
  return indexOf(containerIndexes, containers, (c) => c.id).get(id);
}
