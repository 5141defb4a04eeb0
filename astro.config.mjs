// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import svelte from '@astrojs/svelte';

export default defineConfig({
  site: 'http://localhost:4321',
  output: 'static',
  trailingSlash: 'ignore',
  integrations: [mdx(), svelte()],
  server: { port: 4321 },
  devToolbar: { enabled: false },
});
