/**
 * Everything a chapter author may use in MDX. Import from this file only:
 *   import { FreeSnapshots, FreeOutput } from '../../src/components/mdx';
 */
export { default as FreeSnapshots } from './FreeSnapshots.astro';
export { default as FreeOutput } from './FreeOutput.astro';
