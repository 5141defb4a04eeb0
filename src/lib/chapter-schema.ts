import { z } from 'astro/zod';

/** Frontmatter of a chapter in content/chapters/NN-slug.mdx. */
export const chapterSchema = z
  .object({
    title: z.string().trim().min(1, 'a chapter needs a title'),
    description: z
      .string()
      .trim()
      .min(20, 'the description is shown in link previews: write a full sentence')
      .max(200, 'keep the description under 200 characters for link previews'),
    order: z.number().int().positive(),
    draft: z.boolean().default(false),
  })
  .strict();

export type ChapterFrontmatter = z.infer<typeof chapterSchema>;

/** The stable URL slug of a chapter file: `03-thrashing.mdx` → `thrashing`. */
export function chapterSlug(fileName: string): string {
  const base = fileName.replace(/^.*\//, '').replace(/\.mdx?$/, '');
  return base.replace(/^\d+-/, '');
}
