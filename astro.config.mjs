// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import svelte from '@astrojs/svelte';

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
    {
      name: 'client-soon',
      hooks: {
        'astro:config:setup': ({ addClientDirective }) => {
          addClientDirective({ name: 'soon', entrypoint: './src/directives/soon.ts' });
        },
      },
    },
  ],
  server: { port: 4321 },
  devToolbar: { enabled: false },
});
