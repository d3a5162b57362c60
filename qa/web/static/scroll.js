// Bring the cited range into view once the viewer has been laid out (its tab may have
// been hidden a moment ago, when nothing inside it had a position yet).
const show = () => {
  const target = element.querySelector('.qa-target');
  const box = element.querySelector('.qa-doc-text');
  if (!target || !box || !box.clientHeight) return false;
  box.scrollTop = Math.max(0, target.offsetTop - box.clientHeight / 4);
  const tabs = document.getElementById('qa-tabs');
  if (tabs && tabs.getBoundingClientRect().top < 0) tabs.scrollIntoView({block: 'start'});
  return true;
};
const later = (n = 0) => requestAnimationFrame(() => { if (!show() && n < 20) later(n + 1); });
watch('value', () => later());
later();
