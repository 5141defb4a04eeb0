/** The site's base path (BASE=/oom/ builds serve everything under it), and a site path under it. */
export const BASE = import.meta.env.BASE_URL.replace(/\/?$/, '/');

export function site(path: string): string {
  return path.startsWith('/') ? BASE + path.slice(1) : path;
}
