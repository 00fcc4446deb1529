/** @module Downloads a release to a new file, counting its size and SHA-256 as it arrives, and flushes it to disk. */
import { createHash } from 'node:crypto';
import { closeSync, constants, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

export class DownloadError extends Error {
  constructor(
    readonly reason: 'size_mismatch' | 'hash_mismatch' | 'download_failed',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Writes `url`'s body to `file` (created new, mode 0755, never through a link) and checks it against `size` and
 * `sha256`; on any failure the file is removed and a {@link DownloadError} says why.
 */
export async function downloadRelease(url: string, file: string, expected: { size: number; sha256: string }, timeoutMs = 10 * 60_000): Promise<void> {
  rmSync(file, { force: true });
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o755);
  const hash = createHash('sha256');
  let size = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const target = new URL(url);
      const client = target.protocol === 'https:' ? https : http;
      const req = client.get(target, { signal: AbortSignal.timeout(timeoutMs) }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new DownloadError('download_failed', `${target.pathname} answered ${res.statusCode}`));
        }
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > expected.size) {
            res.destroy();
            return reject(new DownloadError('size_mismatch', `the download is larger than the signed ${expected.size} bytes`));
          }
          hash.update(chunk);
          writeSync(fd, chunk);
        });
        res.on('end', resolve);
        res.on('error', reject);
      });
      req.on('error', (err) => reject(err instanceof DownloadError ? err : new DownloadError('download_failed', err.message)));
    });
    if (size !== expected.size) throw new DownloadError('size_mismatch', `downloaded ${size} bytes, the release is signed for ${expected.size}`);
    const digest = hash.digest('hex');
    if (digest !== expected.sha256) throw new DownloadError('hash_mismatch', `the download's SHA-256 is ${digest}, the release is signed for ${expected.sha256}`);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(file, { force: true });
    throw error instanceof DownloadError ? error : new DownloadError('download_failed', (error as Error).message);
  }
  closeSync(fd);
}
