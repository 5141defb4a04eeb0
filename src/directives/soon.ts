/**
 * client:soon — hydrate an island when it comes near the screen, or at once when the
 * reader reaches for it (focus or pointer inside it): whichever is first. A simulator's
 * controls then work the moment keyboard focus arrives, however far down the page it
 * sits (its Play button is a real button before then, and a press is honoured once the
 * island has hydrated), and a page with many simulators hydrates none of them while it
 * loads — each would be a long task on a slow phone.
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
