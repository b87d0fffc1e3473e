// The dial pad: a number field, digits, «+», backspace, «Позвонить» and
// «Завершить». What «Позвонить» does is up to the console (placeCall).
import { h } from '../lib/dom.ts';
import { t } from '../i18n/index.ts';

export class DialPad {
  readonly el: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly note: HTMLElement;
  private readonly callBtn: HTMLButtonElement;
  private readonly endBtn: HTMLButtonElement;

  constructor(private readonly o: { onCall(number: string): void; onEnd(): void }) {
    this.input = h('input', { id: 'dial-number', class: 'input dial-input', type: 'tel', inputmode: 'tel', autocomplete: 'off', placeholder: t.dial.placeholder, maxlength: 30, testid: 'dial-number' }) as HTMLInputElement;
    this.note = h('p', { class: 'dial-note', testid: 'dial-note', role: 'status', 'aria-live': 'polite' });
    const key = (d: string, testid = `dial-${d}`) => h('button', { type: 'button', class: 'key', testid, onclick: () => this.type(d) }, d);
    this.callBtn = h('button', { type: 'submit', class: 'btn btn-answer', testid: 'dial-call' }, t.dial.call) as HTMLButtonElement;
    this.endBtn = h('button', { type: 'button', class: 'btn btn-hangup', testid: 'dial-end', disabled: true, onclick: () => this.o.onEnd() }, t.dial.end) as HTMLButtonElement;
    const form = h(
      'form',
      { class: 'dialpad', testid: 'dialpad', novalidate: true, 'aria-label': t.dial.title },
      h('label', { class: 'label', for: 'dial-number' }, t.dial.label),
      h('div', { class: 'inline' }, this.input, h('button', { type: 'button', class: 'btn btn-ghost btn-small', testid: 'dial-backspace', title: t.dial.backspace, 'aria-label': t.dial.backspace, onclick: () => this.backspace() }, '⌫')),
      h('div', { class: 'keypad dial-keys', role: 'group', 'aria-label': t.dial.title }, ['1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '0'].map((d) => key(d, d === '+' ? 'dial-plus' : `dial-${d}`)), h('button', { type: 'button', class: 'key', testid: 'dial-del', 'aria-label': t.dial.backspace, onclick: () => this.backspace() }, '⌫')),
      h('div', { class: 'call-actions' }, this.callBtn, this.endBtn),
      this.note,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.o.onCall(this.input.value);
    });
    this.el = form;
  }

  private type(d: string): void {
    if (d === '+' && this.input.value.replace(/\s/g, '') !== '') return; // "+" only leads
    this.input.value += d;
    this.input.focus();
  }

  private backspace(): void {
    this.input.value = this.input.value.slice(0, -1);
    this.input.focus();
  }

  /** Fills the number (from the card or the history) and focuses «Позвонить». */
  prefill(number: string): void {
    this.input.value = number;
  }

  say(text: string, bad = false): void {
    this.note.textContent = text;
    this.note.classList.toggle('field-error', bad);
  }

  /** While a call is up: «Позвонить» off, «Завершить» on. */
  setBusy(busy: boolean): void {
    this.callBtn.disabled = busy;
    this.endBtn.disabled = !busy;
  }
}
