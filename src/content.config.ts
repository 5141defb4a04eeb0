import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { chapterSchema, chapterSlug } from './lib/chapter-schema';

const chapters = defineCollection({
  loader: glob({
    pattern: '*.mdx',
    base: './content/chapters',
    generateId: ({ entry }) => chapterSlug(entry),
  }),
  schema: chapterSchema,
});

export const collections = { chapters };
