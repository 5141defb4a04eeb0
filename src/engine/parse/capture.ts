/**
 * Read a paste: find each block of a known format by itself, read it, and list
 * every line that was not read with the reason. Never throws.
 *
 * parseCapture does it in one go; CaptureReader does the same a slice at a time
 * (for a page that must stay responsive while a large paste is read).
 */
import { isKvLine, isMeminfoLine, isPsiLine, readKeyValues, readMeminfo, readPsi } from './keyvalue';
import { MAX_LINE_CHARS, MAX_PASTE_CHARS, looksBinary, shortQuote } from './lines';
import { isDmesgStart, readDmesg } from './oom';
import {
  isDockerPsHeader,
  isDockerStatsHeader,
  isFreeHeader,
  isPsHeader,
  isVmstatStart,
  readDockerPs,
  readDockerStats,
  readFree,
  readPs,
  readVmstat,
  type Read,
} from './tables';
import type { Block, Capture, ParsedBlock, UnreadLine } from './types';

const COMMAND = /^\s*(?:[\w@.-]+(?::[^$#]*)?)?[$#]\s+(\S.*)$/;
const KNOWN_COMMAND = /^(sudo\s+)?(free|vmstat|cat|dmesg|journalctl|docker|ps|grep|head|tail|less|egrep|zgrep|systemd-cgtop|sysctl|uname)\b/;
const HEAD_BANNER = /^==> (.+) <==$/;
const SYSCTL = /^\s*((?:vm|kernel)\.[a-z_.]+)\s*=\s*(-?\d+)\s*$/;
const PROC_SYS = /\/proc\/sys\/((?:vm|kernel)\/[a-z_]+)\s*$/;

/** sysctl lines, or the single number `cat /proc/sys/vm/<name>` prints. */
function readSysctl(lines: readonly string[], i: number, command?: string): Read<Block> | null {
  const values: Record<string, number> = {};
  let k = i;
  for (; k < lines.length; k++) {
    const m = SYSCTL.exec(lines[k]!);
    if (!m) break;
    values[m[1]!] = Number(m[2]);
  }
  if (k > i) return { block: { kind: 'sysctl', values }, end: k, unread: [], notes: [] };
  const file = command ? PROC_SYS.exec(command) : null;
  if (file && /^\s*-?\d+\s*$/.test(lines[i]!)) {
    return { block: { kind: 'sysctl', values: { [file[1]!.replace('/', '.')]: Number(lines[i]!.trim()) } }, end: i + 1, unread: [], notes: [] };
  }
  return null;
}

/** Why a line that starts no block was not read. */
function reasonFor(line: string): string {
  const t = line.trim();
  if (t.length > MAX_LINE_CHARS) return `a line of ${t.length} characters, longer than any line these tools print`;
  if (/^\s*#/.test(line)) return 'a comment, not output';
  if (/^\[\s*(OK|FAILED|DEPEND|TIME)\s*\]/.test(t)) return 'a message from systemd at boot, not memory output';
  if (/^\s*\.{2,}\s*$/.test(t)) return 'lines left out here by whoever pasted this';
  if (/^[a-z][a-z0-9_]* -?\d+$/.test(t)) return 'a "name value" line of a file this page does not recognise';
  if (/^\d+(\s+\d+)+$/.test(t)) return 'a row of numbers with no header to say what they are (paste the header lines too)';
  if (/^(Mem|Swap|Total):/.test(t)) return 'a free row without its header line (paste the line with "total used free" too)';
  if (/\b(total|used|free|available)\b/.test(t) && /\d/.test(t) === false && t.split(/\s+/).length < 8) return 'looks like a header, but no rows follow that this page can read';
  if (/[A-Za-z]{3,}.*\s[A-Za-z]{3,}/.test(t)) return 'text, not the output of a tool this page reads';
  return 'not a line of any format this page reads';
}

interface Pending {
  command?: string;
  banner?: string;
}

function tryRead(lines: readonly string[], i: number, ctx: Pending): { read: Read<Block>; unknownKv?: undefined } | { read?: undefined; unknownKv: { end: number; keys: string[] } } | null {
  const line = lines[i]!;
  const context = ctx.banner ?? ctx.command;
  let r: Read<Block> | null = readSysctl(lines, i, ctx.command);
  if (r) return { read: r };
  if (isFreeHeader(line)) r = readFree(lines, i, ctx.command);
  else if (isVmstatStart(line)) r = readVmstat(lines, i, ctx.command);
  else if (isDockerStatsHeader(line)) r = readDockerStats(lines, i);
  else if (isDockerPsHeader(line)) r = readDockerPs(lines, i);
  else if (isPsHeader(line)) r = readPs(lines, i);
  else if (isPsiLine(line)) r = readPsi(lines, i, context);
  else if (isMeminfoLine(line)) r = readMeminfo(lines, i);
  else if (isKvLine(line)) {
    const kv = readKeyValues(lines, i);
    if (kv && 'unknownEnd' in kv) return kv.keys.length >= 3 ? { unknownKv: { end: kv.unknownEnd, keys: kv.keys } } : null;
    r = kv;
  }
  if (!r && isDmesgStart(line)) r = readDmesg(lines, i);
  return r && r.end > i ? { read: r } : null;
}

/** Reads a paste a slice at a time. */
export class CaptureReader {
  readonly lines: string[] = [];
  #i = 0;
  #blocks: ParsedBlock[] = [];
  #unread: UnreadLine[] = [];
  #context: number[] = [];
  #pending: Pending = {};
  #problem: string | undefined;
  /** The paste, split into lines a chunk at a time (so even that never holds the page). */
  #text = '';
  #pos = 0;
  #split = true;

  constructor(text: string) {
    if (text.length > MAX_PASTE_CHARS) {
      this.#problem = `This paste is ${(text.length / 1e6).toFixed(1)} million characters; the page reads up to ${MAX_PASTE_CHARS / 1e6} million. Paste only the commands' output you want explained (a full dmesg is rarely needed: the lines around "invoked oom-killer" are enough).`;
    } else if (looksBinary(text)) {
      this.#problem = 'This looks like a binary file, not text a command printed. Paste the text of the output (or drop a .txt file).';
    } else {
      this.#text = text;
      this.#split = false;
    }
  }

  /** Split the next chunk of the paste into lines; true when all of it is split. */
  #splitChunk(): boolean {
    const text = this.#text;
    if (this.#pos >= text.length) return this.#finishSplit();
    const nl = text.indexOf('\n', Math.min(text.length, this.#pos + 65536));
    const end = nl < 0 ? text.length : nl;
    let chunk = text.slice(this.#pos, end);
    if (chunk.endsWith('\r')) chunk = chunk.slice(0, -1);
    // Colour codes from a terminal, and the no-break and zero-width spaces web pages add when copied.
    chunk = chunk.replace(/\u001b\[[0-9;]*m/g, '').replace(/[\u00a0\u2007\u202f]/g, ' ').replace(/[\u200b\ufeff]/g, '');
    for (const l of chunk.split(/\r\n|\r|\n/)) this.lines.push(l);
    this.#pos = end + 1;
    if (nl < 0 || this.#pos >= text.length) return this.#finishSplit();
    return false;
  }

  #finishSplit(): boolean {
    this.#split = true;
    this.#text = '';
    if (!this.lines.some((l) => l.trim())) {
      this.#problem = 'There is nothing to read yet: paste what free, vmstat, dmesg or a file in /proc printed.';
      this.lines.length = 0;
    }
    return true;
  }

  get done(): boolean {
    return this.#split && this.#i >= this.lines.length;
  }

  /** Progress from 0 to 1. */
  get progress(): number {
    if (!this.#split) return this.#text.length ? (0.1 * this.#pos) / this.#text.length : 0;
    return this.lines.length ? 0.1 + (0.9 * this.#i) / this.lines.length : 1;
  }

  /** Read for up to `budgetMs` milliseconds (at least one block or line). */
  step(budgetMs = 8, now: () => number = () => Date.now()): boolean {
    const started = now();
    while (!this.#split) {
      this.#splitChunk();
      if (now() - started >= budgetMs) return this.done;
    }
    const lines = this.lines;
    do {
      if (this.#i >= lines.length) break;
      const i = this.#i;
      const line = lines[i]!;
      if (!line.trim()) {
        this.#i++;
        continue;
      }
      if (line.length > MAX_LINE_CHARS) {
        this.#unread.push({ line: i + 1, text: shortQuote(line, 200), reason: reasonFor(line) });
        this.#i++;
        continue;
      }
      const banner = HEAD_BANNER.exec(line.trim());
      if (banner) {
        this.#pending = { banner: banner[1]! };
        this.#context.push(i + 1);
        this.#i++;
        continue;
      }
      const cmd = COMMAND.exec(line);
      // Any "$ …" prompt is a command line; a "# …" one only if it runs a tool (else it is a comment).
      if (cmd && (/^\s*(?:[\w@.-]+(?::[^$#]*)?)?\$/.test(line) || KNOWN_COMMAND.test(cmd[1]!))) {
        this.#pending = { command: cmd[1]!.trim() };
        this.#context.push(i + 1);
        this.#i++;
        continue;
      }
      const got = tryRead(lines, i, this.#pending);
      if (got?.read) {
        const pb: ParsedBlock = { block: got.read.block, from: i + 1, to: got.read.end, notes: got.read.notes };
        if (this.#pending.command) pb.command = this.#pending.command;
        else if (this.#pending.banner) pb.command = `cat ${this.#pending.banner}`;
        this.#blocks.push(pb);
        this.#unread.push(...got.read.unread);
        this.#pending = {};
        this.#i = got.read.end;
        continue;
      }
      if (got?.unknownKv) {
        for (let k = i; k < got.unknownKv.end; k++) {
          this.#unread.push({
            line: k + 1,
            text: lines[k]!,
            reason: `part of a "name value" file this page does not recognise (keys such as ${got.unknownKv.keys.slice(0, 3).join(', ')})`,
          });
        }
        this.#i = got.unknownKv.end;
        continue;
      }
      this.#unread.push({ line: i + 1, text: line, reason: reasonFor(line) });
      this.#i++;
    } while (now() - started < budgetMs);
    return this.done;
  }

  result(): Capture {
    const c: Capture = {
      blocks: this.#blocks,
      unread: [...this.#unread].sort((a, b) => a.line - b.line),
      context: this.#context,
      lineCount: this.lines.length,
    };
    if (this.#problem) c.problem = this.#problem;
    return c;
  }
}

/** Read a whole paste at once. */
export function parseCapture(text: string): Capture {
  const r = new CaptureReader(text);
  while (!r.step(1e9)) {
    /* one go */
  }
  return r.result();
}
