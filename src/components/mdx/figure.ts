/** Anchor id of a numbered figure: "3.2" → "figure-3-2". */
export function figureId(figure: string): string {
  const clean = figure.trim();
  if (!/^\d+(\.\d+)*$/.test(clean)) throw new Error(`figure number "${figure}" should look like 3.2`);
  return `figure-${clean.replace(/\./g, '-')}`;
}
