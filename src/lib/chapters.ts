import { getCollection, type CollectionEntry } from 'astro:content';

export type Chapter = CollectionEntry<'chapters'>;

/** Published chapters in reading order (drafts show only in `astro dev`). */
export async function getChapters(): Promise<Chapter[]> {
  const all = await getCollection('chapters', ({ data }) => import.meta.env.DEV || !data.draft);
  return all.sort((a, b) => a.data.order - b.data.order);
}

/** The site's base path, "/" or e.g. "/oom/" (BASE=/oom/ npm run build). */
export const BASE = import.meta.env.BASE_URL.replace(/\/?$/, '/');

/** A site path ("/playground/") under the base path. */
export function sitePath(path: string): string {
  return `${BASE}${path.replace(/^\//, '')}`;
}

export function chapterHref(chapter: Chapter): string {
  return sitePath(`/chapters/${chapter.id}/`);
}
