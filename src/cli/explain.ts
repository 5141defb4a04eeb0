/**
 * `npm run explain < capture.txt`: read what a box printed (free, vmstat,
 * /proc/meminfo, /proc/pressure/*, /proc/vmstat, an OOM report from dmesg or
 * journalctl, docker stats, a cgroup's memory.stat/memory.events) and print the
 * same explanation /explain/ shows. `--markdown` prints it as Markdown.
 */
import { readFileSync } from 'node:fs';
import { explain, parseCapture, renderMarkdown, renderText } from '../engine/parse';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`usage: npm run -s explain [-- --markdown] [FILE] < capture.txt

Reads a capture from FILE or standard input and explains it: each block read
line by line, a diagnosis with the figures it rests on, and the lines it could
not read with the reason. Nothing leaves the machine.`);
  process.exit(0);
}
const file = args.find((a) => !a.startsWith('-'));
let text: string;
try {
  text = readFileSync(file ?? 0, 'utf8');
} catch (e) {
  console.error(`explain: cannot read ${file ?? 'standard input'}: ${(e as Error).message}`);
  process.exit(2);
}
const e = explain(parseCapture(text));
console.log(args.includes('--markdown') ? renderMarkdown(e) : renderText(e));
process.exitCode = e.capture.problem ? 1 : 0;
