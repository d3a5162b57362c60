// A click on any element carrying data-open asks the server for that source and range.
// Run by Gradio's js_on_load with `element` and `trigger`; result.js and sort.js build on it.
element.addEventListener('click', (event) => {
  const el = event.target.closest('[data-open]');
  if (!el || !element.contains(el)) return;
  event.preventDefault();
  const d = el.dataset, num = (v) => (v === undefined ? null : Number(v));
  trigger('click', {source: d.source, start: num(d.start), end: num(d.end),
                    astart: num(d.astart), aend: num(d.aend)});
});
