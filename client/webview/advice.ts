// The timeline's Advice section: what `hvmem advise` says of the plan shown, its fixes as buttons.
// It draws an AdviceView (adviceModel.ts) and names a clicked fix by its id; the extension applies it.
// Plan text only enters as textContent.
import type { AdviceFindingView, AdviceReady, AdviceView } from './adviceModel';
import { el } from './dom';

export class AdviceSection {
  readonly element = el('section', { class: 'advice' });
  private readonly body = el('div', { class: 'advice-body' });
  private readonly note = el('p', { class: 'advice-note' });

  constructor(private readonly applyFix: (id: string) => void) {
    // Nothing to say until the extension sends advice (the standalone page never does).
    this.element.hidden = true;
    this.element.setAttribute('aria-label', 'Advice');
    this.note.setAttribute('role', 'status');
    this.element.append(el('h3', { text: 'Advice' }), this.note, this.body);
  }

  show(view: AdviceView): void {
    this.element.hidden = false;
    this.element.dataset.state = view.state;
    this.note.hidden = !view.note;
    this.note.textContent = view.note ?? '';
    if (view.state === 'pending') {
      const progress = [view.step, view.percentage !== undefined ? `${Math.round(view.percentage)} %` : undefined].filter(Boolean).join(', ');
      this.body.replaceChildren(el('p', { class: 'advice-pending', text: `Working out the advice${progress ? `: ${progress}` : '…'}` }));
    } else if (view.state === 'failed') {
      this.body.replaceChildren(el('p', { class: 'advice-failed', text: view.error }));
    } else {
      this.body.replaceChildren(...this.ready(view));
    }
  }

  private ready(view: AdviceReady): HTMLElement[] {
    const parts: HTMLElement[] = [el('p', { class: 'advice-summary', text: view.summary })];
    if (view.findings.length) parts.push(el('ul', { class: 'advice-findings' }, ...view.findings.map((f) => this.finding(f))));
    if (view.headroom) parts.push(el('p', { class: 'advice-title', text: `${view.headroom.title}:` }), list('advice-headroom', view.headroom.lines));
    parts.push(el('p', { class: 'advice-growth', text: view.growth }));
    if (view.placement) parts.push(el('p', { class: 'advice-title', text: view.placement.title }), list('advice-moves', view.placement.moves));
    return parts;
  }

  private finding(f: AdviceFindingView): HTMLElement {
    const li = el('li', { class: `advice-finding ${f.severity}` });
    li.dataset.code = f.code;
    li.append(el('div', { class: 'advice-heading', text: f.heading, title: f.message }), el('div', { class: 'advice-text', text: f.summary, title: f.message }));
    if (f.fixes.length) {
      const fixes = el('ul', { class: 'advice-fixes' });
      fixes.setAttribute('aria-label', `Fixes for ${f.heading}`);
      for (const fix of f.fixes) {
        const label = `${fix.title} — ${fix.cost}`;
        const b = el('button', { class: 'advice-fix', text: label, title: fix.also.length ? `Apply to the plan; also clears ${fix.also.join(', ')}` : 'Apply to the plan' });
        b.type = 'button';
        b.dataset.fix = fix.id;
        b.setAttribute('aria-label', `Apply: ${label}${fix.also.length ? ` (also clears ${fix.also.join(', ')})` : ''}`);
        b.addEventListener('click', () => this.applyFix(fix.id));
        fixes.append(el('li', {}, b));
      }
      li.append(fixes);
    }
    return li;
  }
}

function list(cls: string, lines: readonly string[]): HTMLElement {
  return el('ul', { class: cls }, ...lines.map((text) => el('li', { text })));
}
