import { getCollection, type CollectionEntry } from 'astro:content';

export type Chapter = CollectionEntry<'chapters'>;

/** Published chapters in reading order (drafts show only in `astro dev`). */
export async function getChapters(): Promise<Chapter[]> {
  const all = await getCollection('chapters', ({ data }) => import.meta.env.DEV || !data.draft);
  return all.sort((a, b) => a.data.order - b.data.order);
}

export function chapterHref(chapter: Chapter): string {
  return `/chapters/${chapter.id}/`;
}
