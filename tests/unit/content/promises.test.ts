/**
 * The README and the home page describe the guide that exists: they list swap
 * among the guide's subjects only once a chapter teaches it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const titles = readdirSync('content/chapters')
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => /^title:\s*"?(.*?)"?$/m.exec(readFileSync(`content/chapters/${f}`, 'utf8'))![1]!);
const swapChapter = titles.some((t) => /swap/i.test(t));

describe('what the guide promises', () => {
  it('lists swap as a subject only if a chapter covers it', () => {
    const readme = readFileSync('README.md', 'utf8').split('\n## ')[0]!;
    const home = /description="([^"]+)"/.exec(readFileSync('src/pages/index.astro', 'utf8'))![1]!;
    for (const text of [readme.replace(/\s+/g, ' '), home]) {
      if (!swapChapter) expect(text).not.toMatch(/the OOM killer,? and swap\b/);
      expect(text).toMatch(/page cache/);
    }
  });
});
