/**
 * Calls onWidth with the element's width when it changes, at most once per animation frame.
 * Resizing a chart inside a ResizeObserver callback would otherwise loop ("ResizeObserver loop
 * completed with undelivered notifications"). Returns the function that stops observing.
 */
export function observeWidth(el: HTMLElement, onWidth: (width: number) => void): () => void {
  let last = el.clientWidth;
  let frame = 0;
  const ro = new ResizeObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      const w = el.clientWidth;
      if (w !== last) {
        last = w;
        onWidth(w);
      }
    });
  });
  ro.observe(el);
  return () => {
    cancelAnimationFrame(frame);
    ro.disconnect();
  };
}
