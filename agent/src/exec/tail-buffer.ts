/**
 * @module Bounded capture of a process's output: a ring buffer keeps only the last bytes, whatever the script prints.
 */

/** Replaces every occurrence of each secret by `***`; longer secrets first so one cannot hide part of another. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) if (secret) out = out.split(secret).join('***');
  return out;
}

/** The last `maxBytes` bytes of `text` as UTF-8, without a split character at the start. */
export function utf8Tail(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let start = bytes.length - maxBytes;
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  return bytes.subarray(start).toString('utf8');
}

/**
 * Keeps the last `cap` bytes written, plus `slack` bytes so that a secret straddling the start of the tail is
 * still seen whole when redacting.
 */
export class TailBuffer {
  private readonly buf: Buffer;
  private start = 0;
  private length = 0;
  private written = 0;

  constructor(private readonly cap: number, slack = 0) {
    this.buf = Buffer.alloc(cap + slack);
  }

  /** Total bytes ever written. */
  get total(): number {
    return this.written;
  }

  write(chunk: Buffer): void {
    this.written += chunk.length;
    const size = this.buf.length;
    if (size === 0) return;
    if (chunk.length >= size) {
      chunk.copy(this.buf, 0, chunk.length - size);
      this.start = 0;
      this.length = size;
      return;
    }
    let end = (this.start + this.length) % size;
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(chunk.length - offset, size - end);
      chunk.copy(this.buf, end, offset, offset + n);
      offset += n;
      end = (end + n) % size;
    }
    const overflow = this.length + chunk.length - size;
    if (overflow > 0) {
      this.start = (this.start + overflow) % size;
      this.length = size;
    } else this.length += chunk.length;
  }

  private bytes(): Buffer {
    const size = this.buf.length;
    if (this.start + this.length <= size) return this.buf.subarray(this.start, this.start + this.length);
    return Buffer.concat([this.buf.subarray(this.start), this.buf.subarray(0, (this.start + this.length) % size)]);
  }

  /** The tail as text with secrets redacted, cut to `cap` bytes; `truncated` when anything was dropped. */
  text(secrets: readonly string[] = []): { text: string; truncated: boolean } {
    let raw = this.bytes();
    if (this.written > raw.length) {
      // The buffer may start inside a multi-byte character.
      let skip = 0;
      while (skip < raw.length && skip < 3 && (raw[skip]! & 0xc0) === 0x80) skip++;
      raw = raw.subarray(skip);
    }
    const redacted = redactSecrets(raw.toString('utf8'), secrets);
    const text = utf8Tail(redacted, this.cap);
    return { text, truncated: this.written > this.cap || text.length < redacted.length };
  }
}
