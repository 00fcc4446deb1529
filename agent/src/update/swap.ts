/**
 * @module Swapping the agent's own binary. Each step is a rename inside the binary's directory, so at every moment
 * `<binary>` is a whole file: the old one or the new one.
 */
import { linkSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncDir } from '../state/files';

export const previousOf = (binary: string) => `${binary}.previous`;
export const nextOf = (binary: string) => `${binary}.next`;

/** `<binary>` becomes a second name of the running file as `<binary>.previous`, then `<binary>.next` replaces `<binary>`. */
export function swapIn(binary: string): void {
  const link = `${previousOf(binary)}.${process.pid}.tmp`;
  rmSync(link, { force: true });
  linkSync(binary, link);
  renameSync(link, previousOf(binary));
  renameSync(nextOf(binary), binary);
  fsyncDir(dirname(binary));
}

/** Puts `<binary>.previous` back as `<binary>` (the previous stays too, for a later look). */
export function restorePrevious(binary: string): void {
  const link = `${binary}.${process.pid}.restore`;
  rmSync(link, { force: true });
  linkSync(previousOf(binary), link);
  renameSync(link, binary);
  fsyncDir(dirname(binary));
}
