/**
 * client:soon — hydrate an island when it comes near the screen, or at once when the
 * reader reaches for it (focus or pointer inside it), or — the page's first such island
 * only — as soon as the browser is idle after loading: whichever is first. The first
 * simulator is then ready before keyboard focus can reach it, and the others hydrate as
 * they come near; a page with many simulators does not hydrate them all while it loads
 * (each would be a long task on a slow phone).
 */
import type { ClientDirective } from 'astro';

const soon: ClientDirective = (load, _options, el) => {
  let done = false;
  const go = async () => {
    if (done) return;
    done = true;
    cleanup();
    const hydrate = await load();
    await hydrate();
  };
  const onEvent = () => void go();
  const near = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) void go();
    },
    { rootMargin: '600px 0px' },
  );
  // astro-island is display: contents: watch what it renders.
  for (const child of Array.from(el.children)) if (!(child instanceof HTMLTemplateElement)) near.observe(child);
  el.addEventListener('focusin', onEvent);
  el.addEventListener('pointerenter', onEvent, true);
  el.addEventListener('pointerdown', onEvent, true);
  const first = document.querySelector('astro-island[client="soon"]') === el;
  const idle = !first ? 0 : 'requestIdleCallback' in window ? requestIdleCallback(() => void go(), { timeout: 2500 }) : setTimeout(() => void go(), 200);
  function cleanup(): void {
    near.disconnect();
    el.removeEventListener('focusin', onEvent);
    el.removeEventListener('pointerenter', onEvent, true);
    el.removeEventListener('pointerdown', onEvent, true);
    if (!first) return;
    if ('cancelIdleCallback' in window) cancelIdleCallback(idle as number);
    else clearTimeout(idle);
  }
};

export default soon;
