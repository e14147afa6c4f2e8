// A tiny element builder: h('button', { class: 'x', onclick }, 'text', child). Text is always set as text, never HTML.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Replaces the children of `target`. */
export const render = (target, ...children) => target.replaceChildren(...children.flat().filter((c) => c != null && c !== false));

/** Announces `text` through the page's live region (and shows it), kind: info | success | error. */
export function announce(text, kind = 'info') {
  const region = document.getElementById('status');
  region.className = `status status-${kind}`;
  region.textContent = text;
  region.hidden = !text;
}

export const field = (id, label, input) => h('div', { class: 'field' }, h('label', { for: id }, label), input);

/** Moves focus to the new view's heading so keyboard and screen-reader users land on what changed. */
export function focusHeading() {
  const heading = document.querySelector('main h1');
  if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus({ preventScroll: true }); }
}
