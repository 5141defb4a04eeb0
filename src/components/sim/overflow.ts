/**
 * Marks a scroll box that is narrower than its content (`data-overflow="x"`), so
 * the CSS can show a cue that there is more to the side. It reacts to resizes of
 * the box and of its content only: nothing reads layout on every update.
 */
export function overflowCue(node: HTMLElement): { destroy(): void } {
  let frame = 0;
  const check = () => {
    frame = 0;
    const over = node.scrollWidth > node.clientWidth + 1;
    if (over) node.dataset.overflow = 'x';
    else delete node.dataset.overflow;
  };
  const observer = new ResizeObserver(() => {
    if (!frame) frame = requestAnimationFrame(check);
  });
  observer.observe(node);
  for (const child of Array.from(node.children)) observer.observe(child);
  // Content that grows wider without the box changing size (a new, longer line).
  const mutations = new MutationObserver(() => {
    for (const child of Array.from(node.children)) observer.observe(child);
  });
  mutations.observe(node, { childList: true });
  return {
    destroy() {
      cancelAnimationFrame(frame);
      observer.disconnect();
      mutations.disconnect();
    },
  };
}
