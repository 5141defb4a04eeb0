/**
 * /og/KEY.png: the link-preview image of each chapter (KEY = its slug) and of the
 * site (KEY = site), generated when the site is built.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getChapters } from '../../lib/chapters';
import { ogImage, type OgCard } from '../../lib/og-image';

export const getStaticPaths = (async () => {
  const chapters = await getChapters();
  const site: OgCard = {
    kicker: 'An explorable guide',
    title: 'Out of Memory',
    description: 'The page cache, reclaim, thrashing and the OOM killer, told through one real incident, with a simulator you can push.',
  };
  return [
    { params: { key: 'site' }, props: { card: site } },
    ...chapters.map((c) => ({
      params: { key: c.id },
      props: { card: { kicker: `Chapter ${c.data.order}`, title: c.data.title, description: c.data.description } satisfies OgCard },
    })),
  ];
}) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ props }) => {
  const png = await ogImage((props as { card: OgCard }).card);
  return new Response(new Uint8Array(png), { headers: { 'Content-Type': 'image/png' } });
};
