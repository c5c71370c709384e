// The few DOM helpers the timeline page builds itself with. Text goes in through textContent only:
// plan names never become markup.
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { class?: string; text?: string; title?: string } = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title !== undefined) node.title = props.title;
  node.append(...children);
  return node;
}

export function button(text: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { text, title });
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

/** A path that wraps only after its separators (D:\Hyper-V\ | SmartPaging), never inside a name
 * (not at the hyphen of "Hyper-V"). */
export function pathText(path: string): DocumentFragment {
  const out = document.createDocumentFragment();
  const parts = path.match(/[^\\/]*[\\/]+|[^\\/]+$/g) ?? [path];
  parts.forEach((part, i) => {
    if (i > 0) out.append(document.createElement('wbr'));
    out.append(el('span', { class: 'nobreak', text: part }));
  });
  return out;
}
