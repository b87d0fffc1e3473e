// A ZIP archive written to a stream entry after entry, for the journal's
// XLSX (an XLSX is a ZIP of XML parts). Only what that needs: deflated
// entries one at a time, each written in chunks, sizes and CRC in a data
// descriptor after the data (so nothing is buffered to learn them first),
// the central directory at the end. Each entry is one zlib deflate stream
// piped into the output, so compression runs on libuv's thread pool while
// the caller builds the next chunk, and a slow reader holds the writer back.
// No ZIP64: an entry or the archive past 4 GiB is refused.
import type { Writable } from 'node:stream';
import zlib from 'node:zlib';

const LIMIT = 0xffffffff;
/** Bit 3: sizes and CRC follow the data; bit 11: names are UTF-8. */
const FLAGS = 0x0808;
const DEFLATE = 8;
const VERSION = 20;

interface Written { name: Buffer; offset: number; crc: number; compressed: number; size: number }

/** Date and time in MS-DOS form (two-second resolution, 1980–2107), from the given moment's UTC fields. */
export function dosDateTime(d: Date): { date: number; time: number } {
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  return {
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}

/**
 * Resolves when `out` takes more (after a turn of the event loop at least, so
 * a long export lets other work in), or with false when it is gone (closed,
 * failed): stop writing then.
 */
export function drained(out: Writable): Promise<boolean> {
  if (out.destroyed) return Promise.resolve(false);
  if (!out.writableNeedDrain) return new Promise<boolean>((resolve) => setImmediate(() => resolve(!out.destroyed)));
  return new Promise<boolean>((resolve) => {
    const done = () => {
      for (const e of ['drain', 'close', 'error']) out.off(e, done);
      resolve(!out.destroyed);
    };
    for (const e of ['drain', 'close', 'error']) out.on(e, done);
  });
}

/** Resolves on the first of these events of any of these emitters, leaving no listener behind. */
function first(pairs: [NodeJS.EventEmitter, string[]][]): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      for (const [em, events] of pairs) for (const e of events) em.off(e, done);
      resolve();
    };
    for (const [em, events] of pairs) for (const e of events) em.on(e, done);
  });
}

interface Current extends Written { deflate: zlib.DeflateRaw; ended: Promise<void> }

export class ZipWriter {
  private offset = 0;
  private readonly entries: Written[] = [];
  private current: Current | null = null;
  private readonly stamp: { date: number; time: number };

  constructor(private readonly out: Writable, modified: Date, private readonly level = 6) {
    this.stamp = dosDateTime(modified);
  }

  /** False once the stream is gone: the caller stops. */
  get open(): boolean {
    return !this.out.destroyed;
  }

  private async emit(buf: Buffer): Promise<boolean> {
    this.offset += buf.length;
    if (this.offset > LIMIT) throw new Error('zip: the archive would pass 4 GiB (ZIP64 is not written)');
    this.out.write(buf);
    return drained(this.out);
  }

  /** Starts an entry (the previous one must be ended). */
  async begin(name: string): Promise<boolean> {
    if (this.current) throw new Error('zip: the previous entry is not ended');
    const nameBuf = Buffer.from(name, 'utf8');
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(VERSION, 4);
    h.writeUInt16LE(FLAGS, 6);
    h.writeUInt16LE(DEFLATE, 8);
    h.writeUInt16LE(this.stamp.time, 10);
    h.writeUInt16LE(this.stamp.date, 12);
    // CRC and sizes (14..25) stay 0: they come in the data descriptor.
    h.writeUInt16LE(nameBuf.length, 26);
    const offset = this.offset;
    const ok = await this.emit(Buffer.concat([h, nameBuf]));
    // One deflate stream per entry (its window spans the chunks), compressing on
    // libuv's thread pool while the caller prepares the next chunk; piped, so a
    // slow reader holds it back.
    const deflate = zlib.createDeflateRaw({ level: this.level });
    const e: Current = { name: nameBuf, offset, crc: 0, compressed: 0, size: 0, deflate, ended: first([[deflate, ['end', 'error', 'close']], [this.out, ['close', 'error']]]) };
    deflate.on('data', (chunk: Buffer) => {
      e.compressed += chunk.length;
    });
    deflate.pipe(this.out, { end: false });
    this.current = e;
    return ok;
  }

  /** Adds data to the current entry; resolves when more can be written (false: the stream is gone). */
  async write(data: string | Buffer): Promise<boolean> {
    const e = this.current;
    if (!e) throw new Error('zip: no entry begun');
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (buf.length === 0) return this.open;
    if (e.size + buf.length > LIMIT) throw new Error(`zip: the entry ${e.name.toString()} would pass 4 GiB (ZIP64 is not written)`);
    e.size += buf.length;
    e.crc = zlib.crc32(buf, e.crc);
    if (!e.deflate.write(buf) && this.open) await first([[e.deflate, ['drain', 'error', 'close']], [this.out, ['close', 'error']]]);
    return this.open;
  }

  /** Ends the current entry: the rest of its compressed data, then its data descriptor. */
  async end(): Promise<boolean> {
    const e = this.current;
    if (!e) throw new Error('zip: no entry begun');
    e.deflate.end();
    await e.ended;
    e.deflate.unpipe(this.out);
    this.current = null;
    if (!this.open) return false;
    this.offset += e.compressed;
    const d = Buffer.alloc(16);
    d.writeUInt32LE(0x08074b50, 0);
    d.writeUInt32LE(e.crc >>> 0, 4);
    d.writeUInt32LE(e.compressed, 8);
    d.writeUInt32LE(e.size, 12);
    this.entries.push({ name: e.name, offset: e.offset, crc: e.crc, compressed: e.compressed, size: e.size });
    return this.emit(d);
  }

  /** A whole entry at once. */
  async add(name: string, data: string | Buffer): Promise<boolean> {
    await this.begin(name);
    await this.write(data);
    return this.end();
  }
  /** Writes the central directory; the caller ends the stream. */
  async finish(): Promise<boolean> {
    if (this.current) throw new Error('zip: the last entry is not ended');
    const start = this.offset;
    const parts: Buffer[] = [];
    for (const e of this.entries) {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE((3 << 8) | VERSION, 4); // made on Unix (the attributes below are a Unix mode)
      c.writeUInt16LE(VERSION, 6);
      c.writeUInt16LE(FLAGS, 8);
      c.writeUInt16LE(DEFLATE, 10);
      c.writeUInt16LE(this.stamp.time, 12);
      c.writeUInt16LE(this.stamp.date, 14);
      c.writeUInt32LE(e.crc >>> 0, 16);
      c.writeUInt32LE(e.compressed, 20);
      c.writeUInt32LE(e.size, 24);
      c.writeUInt16LE(e.name.length, 28);
      // extra, comment, disk number, internal attributes: 0
      c.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r-- (for unzip on Unix)
      c.writeUInt32LE(e.offset, 42);
      parts.push(c, e.name);
    }
    const directory = Buffer.concat(parts);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(start, 16);
    return this.emit(Buffer.concat([directory, end]));
  }
}
