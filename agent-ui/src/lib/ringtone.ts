// The incoming-call alert, generated with WebAudio (no sound file): a soft
// two-note chime every 2 s. Browsers keep audio locked until the first
// click or key press, so the context is created/resumed on one.
let ctx: AudioContext | null = null;
let timer: number | null = null;
const lockListeners = new Set<(locked: boolean) => void>();

function context(): AudioContext | null {
  if (!ctx) {
    try {
      ctx = new AudioContext();
    } catch {
      return null;
    }
  }
  return ctx;
}

function notify(): void {
  const locked = ctx === null || ctx.state !== 'running';
  for (const l of lockListeners) l(locked);
}

/** Call once per page: unlocks audio on the first user gesture. */
export function installAudioUnlock(): void {
  const unlock = () => {
    const c = context();
    if (c && c.state !== 'running') void c.resume().then(notify, notify);
    else notify();
  };
  window.addEventListener('pointerdown', unlock, { capture: true });
  window.addEventListener('keydown', unlock, { capture: true });
}

export function onAudioLockChange(fn: (locked: boolean) => void): void {
  lockListeners.add(fn);
}

export function audioLocked(): boolean {
  return ctx === null || ctx.state !== 'running';
}

function chime(c: AudioContext): void {
  const t0 = c.currentTime + 0.02;
  const notes: [number, number][] = [[784, 0], [988, 0.22], [784, 0.9], [988, 1.12]];
  for (const [freq, at] of notes) {
    const osc = c.createOscillator();
    const gain = c.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0, t0 + at);
    gain.gain.linearRampToValueAtTime(0.18, t0 + at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.001, t0 + at + 0.2);
    osc.connect(gain).connect(c.destination);
    osc.start(t0 + at);
    osc.stop(t0 + at + 0.22);
  }
}

export function startRinging(): void {
  if (timer !== null) return;
  const c = context();
  if (!c) return;
  if (c.state !== 'running') void c.resume().then(notify, notify);
  chime(c);
  timer = window.setInterval(() => chime(c), 2500);
}

export function stopRinging(): void {
  if (timer !== null) window.clearInterval(timer);
  timer = null;
}
