// The page's reminder: while requests wait for the executor (not accepted,
// or accepted and not reported), every N minutes a banner, a short beep and
// a vibration, until they answer or dismiss it.
import { h } from '../lib/dom.ts';
import { x } from '../i18n/ru-executor.ts';

export class Reminder {
  readonly el: HTMLElement;
  private readonly text: HTMLElement;
  private timer: ReturnType<typeof setInterval> | null = null;
  private waiting = 0;

  constructor() {
    this.text = h('span', { testid: 'x-reminder-text' });
    this.el = h('div', { class: 'x-reminder', role: 'alert', testid: 'x-reminder', hidden: true },
      this.text,
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => { this.el.hidden = true; } }, x.reminderOk));
  }

  /** How many requests wait for an answer now (a reminder fires only while some do). */
  set pending(n: number) {
    this.waiting = n;
    if (n === 0) this.el.hidden = true;
  }

  start(everyMin: number): void {
    this.stop();
    this.timer = setInterval(() => this.fire(), everyMin * 60_000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  fire(): void {
    if (this.waiting === 0) return;
    this.text.textContent = x.reminder(this.waiting);
    this.el.hidden = false;
    beep();
    navigator.vibrate?.([300, 150, 300]);
  }
}

/** Two short tones; silent where the browser allows no sound yet. */
export function beep(): void {
  try {
    const ctx = new AudioContext();
    const tone = (at: number) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.2;
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + at);
      osc.stop(ctx.currentTime + at + 0.18);
    };
    tone(0);
    tone(0.3);
    setTimeout(() => void ctx.close(), 1000);
  } catch {
    /* no audio on this device */
  }
}
