/**
 * @module Swapping the agent's own binary, in the binary's directory, two ways:
 *
 * - `posix`: `<binary>` becomes a second name of the running file as `<binary>.previous`, then `<binary>.next`
 *   replaces `<binary>`. Renames only, so at every moment `<binary>` is a whole file: the old one or the new one.
 * - `windows`: a running executable cannot be replaced or deleted, but it can be renamed. The running
 *   `<name>.exe` renames itself to `<name>.previous.exe`, then `<name>.next.exe` takes its name; a failure of the
 *   second rename puts the first back. Between the two renames `<name>.exe` is missing for a moment. Going back,
 *   the running new binary renames itself to `<name>.failed.exe` (deleted at a later start, when it no longer
 *   runs) and the previous one is copied back, so `.previous` stays as on POSIX.
 *
 * The style defaults to the host's; tests run the Windows one on real files anywhere.
 */
import { copyFileSync, linkSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncDir } from '../state/files';

export type SwapStyle = 'posix' | 'windows';
export const hostSwapStyle: SwapStyle = process.platform === 'win32' ? 'windows' : 'posix';

/** `<name>.<tag>.exe` for `<name>.exe` on Windows (it stays an executable to start), `<binary>.<tag>` otherwise. */
function sibling(binary: string, tag: string, style: SwapStyle): string {
  return style === 'windows' && /\.exe$/i.test(binary) ? `${binary.slice(0, -4)}.${tag}${binary.slice(-4)}` : `${binary}.${tag}`;
}

export const previousOf = (binary: string, style = hostSwapStyle) => sibling(binary, 'previous', style);
export const nextOf = (binary: string, style = hostSwapStyle) => sibling(binary, 'next', style);
/** Windows: the new binary that did not hold, renamed away while it still ran. */
export const failedOf = (binary: string, style = hostSwapStyle) => sibling(binary, 'failed', style);

/** Puts `<binary>.next` in place as `<binary>`, keeping the running one as `<binary>.previous`. */
export function swapIn(binary: string, style = hostSwapStyle): void {
  if (style === 'windows') {
    renameSync(binary, previousOf(binary, style));
    try {
      renameSync(nextOf(binary, style), binary);
    } catch (err) {
      renameSync(previousOf(binary, style), binary);
      throw err;
    }
  } else {
    const link = `${previousOf(binary, style)}.${process.pid}.tmp`;
    rmSync(link, { force: true });
    linkSync(binary, link);
    renameSync(link, previousOf(binary, style));
    renameSync(nextOf(binary, style), binary);
  }
  fsyncDir(dirname(binary));
}

/** Puts `<binary>.previous` back as `<binary>` (the previous stays too, for a later look). */
export function restorePrevious(binary: string, style = hostSwapStyle): void {
  if (style === 'windows') {
    const failed = failedOf(binary, style);
    rmSync(failed, { force: true });
    renameSync(binary, failed);
    try {
      copyFileSync(previousOf(binary, style), binary);
    } catch (err) {
      rmSync(binary, { force: true });
      renameSync(failed, binary);
      throw err;
    }
  } else {
    const link = `${binary}.${process.pid}.restore`;
    rmSync(link, { force: true });
    linkSync(previousOf(binary, style), link);
    renameSync(link, binary);
  }
  fsyncDir(dirname(binary));
}

/** Deletes what a Windows roll-back left behind once it no longer runs; nothing to do on POSIX. */
export function removeFailed(binary: string, style = hostSwapStyle): void {
  if (style !== 'windows') return;
  try {
    rmSync(failedOf(binary, style), { force: true });
  } catch {
    // still running (a second instance) or locked: a later start tries again
  }
}
