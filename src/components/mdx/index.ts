/**
 * Everything a chapter author may use in MDX. Import from this file only:
 *   import { Simulator, EngineOutput, Fact } from '../../src/components/mdx';
 */
export { default as FreeSnapshots } from './FreeSnapshots.astro';
export { default as FreeOutput } from './FreeOutput.astro';
export { default as Simulator } from './Simulator.astro';
export { default as EngineOutput } from './EngineOutput.astro';
export { default as Fact } from './Fact.astro';
export { default as Compare } from './Compare.astro';
export { default as OwnMachine } from './OwnMachine.astro';
