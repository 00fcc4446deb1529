/** @module Small file helpers that keep state private and writes atomic. */
import { closeSync, constants, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureTrustedDir } from './trusted-dirs';

/**
 * Creates `dir` (and parents) as a 0700 directory of the agent's account: the state holds the device's private key.
 * Every directory on the way must be one no other account can change (see `trusted-dirs.ts`); the agent refuses to
 * start on a state dir another account could redirect, and never takes over one that belongs to someone else.
 * On Windows modes mean nothing: `restrictStateDir` (`windows-acl.ts`) gives the folder its ACL at install and start.
 */
export function ensurePrivateDir(dir: string): void {
  if (process.platform === 'win32') mkdirSync(dir, { recursive: true });
  else ensureTrustedDir(dir, { mode: 0o700, keepForeign: true });
}

/** Flushes a directory entry so a rename survives a power cut. Not possible on Windows, where rename is journaled. */
export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a whole file atomically (temp file, fsync, rename) with `mode`. The temp file is always a new file (never a
 * link or a file left behind), and its mode is set through its descriptor. `durable: false` skips the two fsyncs,
 * for a file a crash may leave at its previous content (readers still see a whole file, old or new).
 */
export function writeFileAtomic(path: string, data: string, mode = 0o600, { durable = true }: { durable?: boolean } = {}): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    unlinkSync(tmp);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode);
  try {
    // the umask may have narrowed the mode the file was created with
    if (process.platform !== 'win32') fchmodSync(fd, mode);
    writeSync(fd, data);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  if (durable) fsyncDir(dirname(path));
}

/** Reads and parses a JSON file; `null` when it does not exist. Throws on other errors and on bad JSON. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return JSON.parse(text) as unknown;
}
