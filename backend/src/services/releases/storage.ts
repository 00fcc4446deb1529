/**
 * @module Release binaries on disk: `FIXPOINT_DATA_DIR/releases/<release id>`. An upload is streamed to a temporary
 * file beside it while its size and SHA-256 are counted, fsynced, and renamed into place only when both match what
 * the update key signed. With several instances, the directory must be shared (or the binary uploaded to each).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, fsyncSync, mkdirSync, openSync, closeSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError } from '../../errors';

export const releasesDir = (dataDir: string) => join(dataDir, 'releases');
export const releaseFile = (dataDir: string, id: string) => join(releasesDir(dataDir), id);

/** Streams `body` into the release's file; throws a 400 (and keeps nothing) when its size or hash differ. */
export async function storeBinary(dataDir: string, id: string, body: ReadableStream<Uint8Array>, expected: { size: number; sha256: string }): Promise<void> {
  mkdirSync(releasesDir(dataDir), { recursive: true, mode: 0o700 });
  const final = releaseFile(dataDir, id);
  const partial = `${final}.partial-${process.pid}-${Date.now()}`;
  const hash = createHash('sha256');
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > expected.size) return done(new AppError(400, 'validation_failed', `the binary is larger than the declared ${expected.size} bytes`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), count, createWriteStream(partial, { mode: 0o600 }));
    if (size !== expected.size) throw new AppError(400, 'validation_failed', `the binary has ${size} bytes, the release declares ${expected.size}`);
    const digest = hash.digest('hex');
    if (digest !== expected.sha256) throw new AppError(400, 'validation_failed', `the binary's SHA-256 is ${digest}, the release declares ${expected.sha256}`);
    const fd = openSync(partial, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(partial, final);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/** The stored binary as a web stream with its size, or null when it is not on this instance's disk. */
export function openBinary(dataDir: string, id: string): { size: number; stream: ReadableStream } | null {
  const file = releaseFile(dataDir, id);
  if (!existsSync(file)) return null;
  return { size: statSync(file).size, stream: Readable.toWeb(createReadStream(file)) as ReadableStream };
}
