/**
 * Prints every chapter fact with its value, as the build computes them:
 *   npm run facts [-- PREFIX]
 */
import { fact, factNames } from '../lib/facts';

const prefix = process.argv[2] ?? '';
for (const name of factNames().filter((n) => n.startsWith(prefix))) {
  const started = performance.now();
  let value: string;
  try {
    value = fact(name);
  } catch (e) {
    value = `ERROR: ${e instanceof Error ? e.message : String(e)}`;
  }
  console.log(`${name} = ${value}   (${Math.round(performance.now() - started)} ms)`);
}
