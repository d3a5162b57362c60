// Column sort for the figures table: figures by unit then value, dates by their key,
// the rest alphabetically.
element.addEventListener('click', (event) => {
  const button = event.target.closest('th button[data-sort]');
  if (!button) return;
  const th = button.parentElement, col = Number(button.dataset.sort);
  const table = th.closest('table'), body = table.tBodies[0];
  const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
  table.querySelectorAll('th').forEach((h) => h.removeAttribute('aria-sort'));
  th.setAttribute('aria-sort', dir);
  const key = (row) => {
    const d = row.cells[col].dataset;
    if (d.value !== undefined) {
      return [d.group || '', d.value === '' ? -Number.MAX_VALUE : Number(d.value)];
    }
    if (d.key !== undefined) return ['', d.key];
    return ['', row.cells[col].textContent.trim().toLowerCase()];
  };
  const rows = Array.from(body.rows).sort((a, b) => {
    const [ga, x] = key(a), [gb, y] = key(b);
    const c = ga !== gb ? ga.localeCompare(gb)
      : typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
    return dir === 'ascending' ? c : -c;
  });
  rows.forEach((r) => body.appendChild(r));
});
