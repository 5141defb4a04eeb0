// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import svelte from '@astrojs/svelte';
import sitemap from '@astrojs/sitemap';
import { fileURLToPath } from 'node:url';

/** Serve the site under a path, e.g. BASE=/oom/ npm run build. */
const base = process.env.BASE ?? '/';

export default defineConfig({
  site: 'http://localhost:4321',
  base,
  output: 'static',
  trailingSlash: 'ignore',
  integrations: [
    mdx(),
    svelte(),
    sitemap(),
    {
      // Full-text search: Pagefind indexes the built chapters and glossary into dist/pagefind/,
      // which the site serves itself (the search page loads it from there).
      name: 'pagefind',
      hooks: {
        'astro:build:done': async ({ dir, logger }) => {
          const pagefind = await import('pagefind');
          const { index } = await pagefind.createIndex({});
          if (!index) throw new Error('pagefind: could not create an index');
          const site = fileURLToPath(dir);
          const { page_count } = await index.addDirectory({ path: site });
          await index.writeFiles({ outputPath: `${site.replace(/\/?$/, '/')}pagefind` });
          await pagefind.close();
          logger.info(`pagefind: indexed ${page_count} pages`);
        },
      },
    },
    {
      name: 'client-soon',
      hooks: {
        'astro:config:setup': ({ addClientDirective }) => {
          addClientDirective({ name: 'soon', entrypoint: './src/directives/soon.ts' });
        },
      },
    },
  ],
  vite: {
    worker: {
      // The scenarios are data; a worker that is handed its scenario by the page needs none of them.
      rollupOptions: { treeshake: { moduleSideEffects: (id) => !/[\\/]src[\\/]engine[\\/]scenarios[\\/]/.test(id) } },
    },
  },
  server: { port: 4321 },
  devToolbar: { enabled: false },
});
