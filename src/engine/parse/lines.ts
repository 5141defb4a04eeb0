/**
 * Line-level helpers shared by the parsers: the prefixes that log tools put in
 * front of kernel messages, sizes with units, and the limits of a paste.
 */

/** Largest paste the page reads, in characters. */
export const MAX_PASTE_CHARS = 2_000_000;
/** Longest line the parsers look at. */
export const MAX_LINE_CHARS = 4000;

export interface Stripped {
  /** The message without timestamp, host or log-level prefix. */
  body: string;
  /** Seconds since boot from a "[  123.456789]" prefix. */
  t?: number;
  /** A wall-clock stamp (dmesg -T, journalctl, syslog). */
  stamp?: string;
  /** Whether any prefix was found: the line came from a kernel log. */
  prefixed: boolean;
}

const LEVEL = /^<\d>/;
const MONO = /^\[\s*(\d+)\.(\d+)\](?:\[\s*[TC]\d+\])?\s?/;
const DMESG_T = /^\[((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|[^\]\s]+\.?) [^\]]*\d\d:\d\d:\d\d \d{4})\]\s?/;
const SYSLOG = /^((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]?\d \d\d:\d\d:\d\d) \S+ kernel:\s?/;
const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?) \S+ kernel:\s?/;

/** Remove the prefixes dmesg, dmesg -T, journalctl -k and syslog put before a kernel message. */
export function stripKernelPrefix(raw: string): Stripped {
  let body = raw;
  let t: number | undefined;
  let stamp: string | undefined;
  let prefixed = false;
  for (let guard = 0; guard < 4; guard++) {
    let m: RegExpExecArray | null;
    if ((m = LEVEL.exec(body))) {
      body = body.slice(m[0].length);
      prefixed = true;
    } else if ((m = MONO.exec(body))) {
      t = Number(`${m[1]}.${m[2]}`);
      body = body.slice(m[0].length);
      prefixed = true;
    } else if ((m = DMESG_T.exec(body)) || (m = SYSLOG.exec(body)) || (m = ISO.exec(body))) {
      stamp = m[1];
      body = body.slice(m[0].length);
      prefixed = true;
    } else break;
  }
  return { body, ...(t !== undefined && { t }), ...(stamp !== undefined && { stamp }), prefixed };
}

const SIZE = /^(\d+(?:\.\d+)?)([kKMGTPE]?)(i?)(B?)$/;

/**
 * A size as free -h or docker print it ("9.3Mi", "2.8G", "0B", "190.3MiB",
 * "35.1MB") in KiB. "Ki/Mi/Gi" and procps's bare "K/M/G" are powers of 1024;
 * "kB/MB/GB" (docker's I/O columns) are powers of 1000.
 */
export function sizeToKib(text: string): number | undefined {
  const m = SIZE.exec(text.trim());
  if (!m) return undefined;
  const value = Number(m[1]);
  const unit = (m[2] ?? '').toUpperCase();
  const bytes = m[4] === 'B';
  if (unit === '') return bytes ? value / 1024 : undefined;
  const binary = m[3] === 'i' || !bytes;
  const power = 'KMGTPE'.indexOf(unit) + 1;
  return (value * (binary ? 1024 : 1000) ** power) / 1024;
}

/** Whether a token is a whole non-negative number. */
export const isInt = (s: string): boolean => /^\d+$/.test(s);

/** Binary garbage: NUL bytes, or many control characters. */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 20000);
  if (sample.includes('\u0000')) return true;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 27) || c === 0xfffd) control++;
  }
  return sample.length > 0 && control / sample.length > 0.02;
}

/** Split a paste into lines, whatever the line endings. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Quote a line for a message: trimmed and cut short. */
export function shortQuote(s: string, max = 60): string {
  const t = s.trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
