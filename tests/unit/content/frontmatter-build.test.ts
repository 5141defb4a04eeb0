/**
 * A chapter with bad frontmatter must stop the build with a message that names
 * the file and the field. Runs `astro sync` (the content step of the build) on a
 * copy of the project with one broken chapter added.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve('.');
const dir = mkdtempSync(join(tmpdir(), 'oom-frontmatter-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sync(): { code: number; output: string } {
  try {
    const output = execFileSync(join(root, 'node_modules/.bin/astro'), ['sync'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, output };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, output: `${err.stdout}${err.stderr}` };
  }
}

describe('chapter frontmatter at build time', () => {
  it('fails naming the file and the fields that are wrong', { timeout: 120_000 }, () => {
    for (const part of ['astro.config.mjs', 'svelte.config.js', 'tsconfig.json', 'package.json', 'src', 'content']) {
      cpSync(join(root, part), join(dir, part), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    expect(sync().code).toBe(0);
    writeFileSync(join(dir, 'content/chapters/09-broken.mdx'), '---\ntitle: "Broken"\norder: "nine"\n---\n\nText.\n');
    const { code, output } = sync();
    expect(code).not.toBe(0);
    expect(output).toContain('content/chapters/09-broken.mdx');
    expect(output).toMatch(/description\W+Required|description.*required/i);
    expect(output).toMatch(/order/);
  });
});
