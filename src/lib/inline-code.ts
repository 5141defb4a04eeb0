/** Plain text with `backticks` as HTML: escaped, with the backticked parts in <code>. */
export function inlineCode(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`([^`]+)`/g, '<code>$1</code>');
}
