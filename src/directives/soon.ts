/**
 * client:soon — hydrate an island when it comes near the screen (600 px), or at once
 * when the reader reaches for it (focus or pointer inside it): whichever is first. A page
 * with many simulators does not hydrate them while it loads (each is a long task on a
 * slow phone), only those the reader comes to. Its controls work before that: a press of
 * Play made before the island runs is remembered and honoured (the page's script in
 * Simulator.astro), and a figure reached by focus or pointer waits for that press rather
 * than starting on its own.
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
  function cleanup(): void {
    near.disconnect();
    el.removeEventListener('focusin', onEvent);
    el.removeEventListener('pointerenter', onEvent, true);
    el.removeEventListener('pointerdown', onEvent, true);
  }
};

export default soon;
