/**
 * @module Execution ids the agent has finished with, kept only to refuse a replay of their envelopes: each UUID as
 * 16 bytes in a packed array with its expiry (seconds), found through an open-addressing table of slot numbers. About
 * 30–60 bytes an id (the arrays grow by doubling), against several hundred for a journal entry object with its
 * result. Ids that are not lower-case UUIDs (none come from a server; old journals and tests may hold some) are kept
 * in a plain map, so nothing is ever forgotten early.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Where the 32 hex digits of a UUID sit in its 36 characters. */
const HEX_AT = Array.from({ length: 36 }, (_, i) => i).filter((i) => i !== 8 && i !== 13 && i !== 18 && i !== 23);
const EMPTY = -1;
const MIN_SLOTS = 64;

function hexValue(code: number): number {
  return code <= 57 ? code - 48 : code - 87;
}

export class SeenIds {
  /** 16 bytes a slot. */
  private keys = new Uint8Array(MIN_SLOTS * 16);
  /** Expiry of each slot, in whole seconds since the epoch (rounded up). */
  private exps = new Uint32Array(MIN_SLOTS);
  /** Slot numbers by hash, linear probing; twice the slots, so at most half full. */
  private table = new Int32Array(MIN_SLOTS * 2).fill(EMPTY);
  private count = 0;
  private readonly others = new Map<string, number>();
  private readonly scratch = new Uint8Array(16);

  get size(): number {
    return this.count + this.others.size;
  }

  /** Bytes held by the packed arrays (ids outside them are not counted: they do not come from servers). */
  get byteLength(): number {
    return this.keys.byteLength + this.exps.byteLength + this.table.byteLength;
  }

  has(id: string): boolean {
    if (!UUID.test(id)) return this.others.has(id);
    return this.find(this.pack(id)) >= 0;
  }

  /** Remembers `id` until `expMs` (the later expiry wins when it is already known; NaN: for good). */
  add(id: string, expMs: number): void {
    // an expiry that cannot be read never lets the id go (the journal never forgot such ids either)
    const exp = Number.isNaN(expMs) ? 0xffff_ffff : Math.min(0xffff_ffff, Math.max(0, Math.ceil(expMs / 1000)));
    if (!UUID.test(id)) {
      this.others.set(id, Math.max(exp, this.others.get(id) ?? 0));
      return;
    }
    const key = this.pack(id);
    const found = this.find(key);
    if (found >= 0) {
      this.exps[found] = Math.max(this.exps[found]!, exp);
      return;
    }
    if (this.count === this.exps.length) this.resize(this.exps.length * 2);
    const slot = this.count++;
    this.keys.set(key, slot * 16);
    this.exps[slot] = exp;
    this.insert(slot);
  }

  /** Forgets every id that expired before `cutoffMs`; returns how many. */
  prune(cutoffMs: number): number {
    const cutoff = cutoffMs / 1000;
    const before = this.size;
    for (const [id, exp] of this.others) if (exp < cutoff) this.others.delete(id);
    let kept = 0;
    for (let slot = 0; slot < this.count; slot++) {
      if (this.exps[slot]! < cutoff) continue;
      if (kept !== slot) {
        this.keys.copyWithin(kept * 16, slot * 16, slot * 16 + 16);
        this.exps[kept] = this.exps[slot]!;
      }
      kept++;
    }
    if (kept === this.count) return before - this.size;
    this.count = kept;
    // give memory back once mostly empty; otherwise only the table needs rebuilding
    let slots = this.exps.length;
    while (slots > MIN_SLOTS && kept * 4 < slots) slots /= 2;
    this.resize(slots);
    return before - this.size;
  }

  /** Every id with its expiry (ms), for writing the journal out. */
  *entries(): Generator<[id: string, expMs: number]> {
    for (const [id, exp] of this.others) yield [id, exp * 1000];
    for (let slot = 0; slot < this.count; slot++) {
      const hex = Buffer.from(this.keys.buffer, this.keys.byteOffset + slot * 16, 16).toString('hex');
      yield [`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`, this.exps[slot]! * 1000];
    }
  }

  /** The 16 bytes of a lower-case UUID, in the shared scratch array. */
  private pack(id: string): Uint8Array {
    const out = this.scratch;
    for (let i = 0; i < 16; i++) out[i] = (hexValue(id.charCodeAt(HEX_AT[2 * i]!)) << 4) | hexValue(id.charCodeAt(HEX_AT[2 * i + 1]!));
    return out;
  }

  /** Mixes all 16 bytes: ids may be time-ordered (UUIDv7), so no single part of them is random enough alone. */
  private hash(keys: Uint8Array, at: number): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < 16; i++) h = Math.imul(h ^ keys[at + i]!, 0x01000193);
    return (h ^ (h >>> 15)) >>> 0;
  }

  private find(key: Uint8Array): number {
    const mask = this.table.length - 1;
    for (let i = this.hash(key, 0) & mask; ; i = (i + 1) & mask) {
      const slot = this.table[i]!;
      if (slot === EMPTY) return -1;
      if (this.equals(slot, key)) return slot;
    }
  }

  private equals(slot: number, key: Uint8Array): boolean {
    const at = slot * 16;
    for (let i = 0; i < 16; i++) if (this.keys[at + i] !== key[i]) return false;
    return true;
  }

  private insert(slot: number): void {
    const mask = this.table.length - 1;
    let i = this.hash(this.keys, slot * 16) & mask;
    while (this.table[i] !== EMPTY) i = (i + 1) & mask;
    this.table[i] = slot;
  }

  /** Moves the slots into arrays of `slots` entries and rebuilds the table. */
  private resize(slots: number): void {
    if (slots !== this.exps.length) {
      const keys = new Uint8Array(slots * 16);
      keys.set(this.keys.subarray(0, this.count * 16));
      const exps = new Uint32Array(slots);
      exps.set(this.exps.subarray(0, this.count));
      this.keys = keys;
      this.exps = exps;
    }
    this.table = new Int32Array(slots * 2).fill(EMPTY);
    for (let slot = 0; slot < this.count; slot++) this.insert(slot);
  }
}
