// On a phone the answer lands below the fold (under the examples): bring it into view.
watch('value', () => {
  const card = element.querySelector('.qa-answer, .qa-notice');
  if (card && card.getBoundingClientRect().top > window.innerHeight * 0.7) {
    card.scrollIntoView({block: 'start', behavior: 'smooth'});
  }
});
