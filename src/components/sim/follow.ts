/**
 * Keeps a log's newest line in view (vmstat, dmesg), as `tail -f` does, by scrolling
 * the box to its end whenever its content changes size — unless the reader has
 * scrolled up to read, in which case the box stays where they left it until they
 * scroll back down to the end.
 *
 * Before hydration the box is bottom-anchored by CSS (`flex-direction: column-reverse`,
 * the `follow` class), so the page shows the newest lines without script. Once the
 * island runs, that class goes and this scrolls instead: a scroll moves the lines
 * without counting as a layout shift, where a bottom-anchored box pushes every line
 * up each time one is added. Scrolls are written in an animation frame, when the
 * browser lays the page out anyway, so they cost no extra layout.
 *
 * The content changes size when a line arrives, when the box is rewrapped at a new
 * width, and when earlier lines are drawn (Terminal.svelte draws a long log's newest
 * lines only, until asked). Only the reader moving up through the log (wheel, keys, a
 * finger, the scrollbar) stops the following: the browser's scroll anchoring and this
 * code's own scrolls also fire `scroll` events, and must not be taken for the reader
 * leaving the end. Scrolling back down to the end, or End, starts it again.
 */
export interface FollowOptions {
  /** The box's content; a change scrolls to the end if following. */
  text: string;
  /** Told when the reader leaves the end to read back (true) and when they come back to it (false). */
  onreading?: (reading: boolean) => void;
}

export function followEnd(node: HTMLElement, options: FollowOptions): { update(options: FollowOptions): void; destroy(): void } {
  let onreading = options.onreading;
  let following = true;
  let frame = 0;
  let touchY = 0;
  /** Where this code last scrolled the box to: the scroll event that follows is its own. */
  let ownTop = -1;
  const setFollowing = (value: boolean) => {
    if (value === following) return;
    following = value;
    onreading?.(!value);
  };
  const toEnd = () => {
    frame = 0;
    if (!following) return;
    node.scrollTop = node.scrollHeight;
    ownTop = node.scrollTop;
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(toEnd);
  };
  // The reader moving up through the log: wheel or keys up, a finger dragging down, the scrollbar.
  const onWheel = (e: WheelEvent) => {
    if (e.deltaY < 0) setFollowing(false);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowUp' || e.key === 'PageUp' || e.key === 'Home' || (e.key === ' ' && e.shiftKey)) setFollowing(false);
    // End asks for the newest line, even if more arrive while the browser scrolls there.
    else if (e.key === 'End') {
      setFollowing(true);
      schedule();
    }
  };
  const onTouchStart = (e: TouchEvent) => {
    touchY = e.touches[0]?.clientY ?? 0;
  };
  const onTouchMove = (e: TouchEvent) => {
    if ((e.touches[0]?.clientY ?? 0) > touchY + 4) setFollowing(false);
  };
  const onPointerDown = (e: PointerEvent) => {
    if (e.target === node) setFollowing(false);
  };
  // Back down at the end, however it got there: follow again. (Only a move down counts: the
  // first step of a smooth scroll up can still be within a few pixels of the end.)
  let lastTop = 0;
  const onScroll = () => {
    const top = node.scrollTop;
    const down = top > lastTop;
    lastTop = top;
    if (top === ownTop) return;
    ownTop = -1;
    if (!following && down && node.scrollHeight - top - node.clientHeight < 4) setFollowing(true);
  };
  const resized = new ResizeObserver(schedule);
  const observeContent = () => {
    for (const child of Array.from(node.children)) resized.observe(child);
  };
  observeContent();
  node.addEventListener('wheel', onWheel, { passive: true });
  node.addEventListener('keydown', onKey);
  node.addEventListener('touchstart', onTouchStart, { passive: true });
  node.addEventListener('touchmove', onTouchMove, { passive: true });
  node.addEventListener('pointerdown', onPointerDown);
  node.addEventListener('scroll', onScroll, { passive: true });
  // In the first frame: the island is still being built when this runs, and reading
  // scrollHeight now would lay the page out once more than needed.
  frame = requestAnimationFrame(() => {
    node.classList.remove('follow');
    toEnd();
  });
  return {
    update(next: FollowOptions) {
      onreading = next.onreading;
      observeContent();
      schedule();
    },
    destroy() {
      cancelAnimationFrame(frame);
      resized.disconnect();
      node.removeEventListener('wheel', onWheel);
      node.removeEventListener('keydown', onKey);
      node.removeEventListener('touchstart', onTouchStart);
      node.removeEventListener('touchmove', onTouchMove);
      node.removeEventListener('pointerdown', onPointerDown);
      node.removeEventListener('scroll', onScroll);
    },
  };
}
