// The street of a reminder call, spoken: espeak-ng (Russian voice) renders
// it once into a file Asterisk plays (8 kHz mono WAV, made with sox), kept
// in a folder both Pult and Asterisk reach (the same machine). Unset folder,
// a missing tool or a failure → null, and the call names the request's
// number instead.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../../../log.js';

const run = promisify(execFile);

/** «ул. Ленина» → «улица Ленина»: abbreviations a synthesiser would spell out letter by letter. */
export function speakableStreet(street: string): string {
  const words: [RegExp, string][] = [
    [/(^|\s)ул\.?(?=\s|$)/giu, '$1улица'], [/(^|\s)просп\.?(?=\s|$)|(^|\s)пр-т\.?(?=\s|$)/giu, '$1$2проспект'], [/(^|\s)пер\.?(?=\s|$)/giu, '$1переулок'],
    [/(^|\s)б-р\.?(?=\s|$)/giu, '$1бульвар'], [/(^|\s)ш\.?(?=\s|$)/giu, '$1шоссе'], [/(^|\s)пл\.?(?=\s|$)/giu, '$1площадь'], [/(^|\s)наб\.?(?=\s|$)/giu, '$1набережная'],
    [/(^|\s)пр-д\.?(?=\s|$)/giu, '$1проезд'], [/(^|\s)мкр\.?(?=\s|$)/giu, '$1микрорайон'],
  ];
  return words.reduce((s, [re, to]) => s.replace(re, to), street.replace(/\s+/g, ' ').trim()).replace(/[«»"]/g, '');
}

export class StreetSpeech {
  constructor(private readonly dir: string, private readonly logger: Logger, private readonly voice = 'ru') {}

  /** The absolute path (no extension) of the spoken street, made on first use; null when it cannot be made. */
  async say(street: string | null): Promise<string | null> {
    if (!street?.trim()) return null;
    const text = speakableStreet(street);
    const base = path.resolve(this.dir, `street-${createHash('sha1').update(text).digest('hex').slice(0, 16)}`);
    if (existsSync(`${base}.wav`)) return base;
    const raw = `${base}.${process.pid}.raw.wav`;
    const tmp = `${base}.${process.pid}.tmp.wav`;
    try {
      mkdirSync(this.dir, { recursive: true });
      await run('espeak-ng', ['-v', this.voice, '-s', '135', '-w', raw, text], { timeout: 15_000 });
      await run('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', tmp, 'gain', '-n', '-1'], { timeout: 15_000 });
      renameSync(tmp, `${base}.wav`);
      return base;
    } catch (err) {
      this.logger.warn('reminder call: could not speak the street; the request number is said instead', { street, err: (err as Error).message });
      return null;
    } finally {
      rmSync(raw, { force: true });
      rmSync(tmp, { force: true });
    }
  }
}
