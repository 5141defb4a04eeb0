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
    /** "After this chapter you can …": what a reader should be able to do, shown under the title. */
    objectives: z.array(z.string().trim().min(10)).min(2, 'give two to four objectives').max(4, 'give two to four objectives').optional(),
    /** "On your own machine": commands or safe experiments to run, shown at the end of the chapter. */
    ownMachine: z
      .array(
        z
          .object({
            /** What to type, exactly. */
            command: z.string().trim().min(1),
            /** What to look for in what it prints. */
            note: z.string().trim().min(20),
            /** A page of this site that goes further, e.g. /explain/. */
            link: z.string().startsWith('/').optional(),
          })
          .strict(),
      )
      .min(2, 'give two or three things to try')
      .max(3, 'give two or three things to try')
      .optional(),
  })
  .strict();

export type ChapterFrontmatter = z.infer<typeof chapterSchema>;

/** The stable URL slug of a chapter file: `03-thrashing.mdx` → `thrashing`. */
export function chapterSlug(fileName: string): string {
  const base = fileName.replace(/^.*\//, '').replace(/\.mdx?$/, '');
  return base.replace(/^\d+-/, '');
}
