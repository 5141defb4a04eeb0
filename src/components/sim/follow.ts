/**
 * Keeps a log's newest line in view (vmstat, dmesg), as `tail -f` does, by scrolling
 * the box to its end after each update — unless the reader has scrolled up to read,
 * in which case the box stays where they left it until they scroll back down.
 *
 * Before hydration the box is bottom-anchored by CSS (`flex-direction: column-reverse`,
 * the `follow` class), so the page shows the newest lines without script. Once the
 * island runs, that class goes and this scrolls instead: a scroll moves the lines
 * without counting as a layout shift, where a bottom-anchored box pushes every line
 * up each time one is added. The scroll is written in the next animation frame, when
 * the browser lays the page out anyway, so it costs no extra layout.
 */
export function followEnd(node: HTMLElement, _text: string): { update(text: string): void; destroy(): void } {
  let atEnd = true;
  let frame = 0;
  const toEnd = () => {
    frame = 0;
    if (atEnd) node.scrollTop = node.scrollHeight;
  };
  const onScroll = () => {
    atEnd = node.scrollHeight - node.scrollTop - node.clientHeight < 4;
  };
  node.classList.remove('follow');
  node.scrollTop = node.scrollHeight;
  node.addEventListener('scroll', onScroll, { passive: true });
  return {
    update() {
      if (!frame) frame = requestAnimationFrame(toEnd);
    },
    destroy() {
      cancelAnimationFrame(frame);
      node.removeEventListener('scroll', onScroll);
    },
  };
}
