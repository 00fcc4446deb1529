/**
 * @module Directories the agent may build on without another account redirecting it.
 *
 * The agent runs as root, and a path is only as safe as every directory on the way to it: `chmod` and `open` follow
 * links, `O_NOFOLLOW` guards the last component only, and whoever can write to a directory can swap any entry in it
 * between a check and a use. So the agent works only under directories that no other account can change:
 *
 * - a directory is trusted when it belongs to root (or to the agent's own account, when it runs unprivileged) and no
 *   one else can write to it, except a sticky one like `/tmp`, where others may add entries but not touch ours;
 * - a link is followed only from a trusted directory (and, in a sticky one, only when it is trusted-owned too), so the
 *   link itself cannot change; its target is checked the same way;
 * - anything unexpected in a trusted directory (wrong type or owner) is removed by {@link removeTree}, which deletes a
 *   tree another account owns as that account, never as root.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, lchownSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmdirSync, unlinkSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';

/** The account the agent runs as. */
const agentUid = () => process.geteuid?.() ?? 0;

const trustedOwner = (uid: number) => uid === 0 || uid === agentUid();

/**
 * Groups no login account belongs to: root/wheel, and daemon (macOS's `/var/run` is root:daemon 0775).
 */
const systemGroups = new Set([0, 1]);

const isSticky = (st: Stats) => (st.mode & 0o1000) !== 0;

/** Why `st` is not a directory others cannot change, or null when it is. */
function distrust(st: Stats): string | null {
  if (!st.isDirectory()) return 'is not a directory';
  if (!trustedOwner(st.uid)) return `belongs to uid ${st.uid}`;
  if (isSticky(st)) return null;
  if (st.mode & 0o002) return 'is writable by everyone';
  if (st.mode & 0o020 && !systemGroups.has(st.gid)) return `is writable by group ${st.gid}`;
  return null;
}

/**
 * Resolves `path` one component at a time and checks every directory and link on the way (see the module comment).
 * Returns the real path; throws when a component is missing (ENOENT) or when another account could redirect it.
 */
export function resolveTrustedDir(path: string): string {
  const parts = resolve(path).split(sep).filter(Boolean);
  let current: string = sep;
  let parent = lstatSync(current);
  let links = 0;
  const refuse = (where: string, why: string) => new Error(`${where} ${why}; the agent will not build on it`);
  const why = distrust(parent);
  if (why) throw refuse(current, why);
  while (parts.length) {
    const name = parts.shift()!;
    if (name === '.') continue;
    if (name === '..') {
      current = resolve(current, '..');
      parent = lstatSync(current);
      continue;
    }
    const next = join(current, name);
    const st = lstatSync(next);
    if (st.isSymbolicLink()) {
      if (++links > 40) throw refuse(path, 'has too many links');
      // others can add entries to a sticky directory, so only a link of ours there is fixed
      if (isSticky(parent) && !trustedOwner(st.uid)) throw refuse(next, `is a link of uid ${st.uid} in a shared directory`);
      const target = readlinkSync(next);
      parts.unshift(...target.split(sep).filter(Boolean));
      if (target.startsWith(sep)) current = sep;
      continue;
    }
    const reason = distrust(st);
    if (reason) throw refuse(next, reason);
    current = next;
    parent = st;
  }
  return current;
}

const lstatOrNull = (path: string): Stats | null => {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
};

/** `rm -rf` as another account: it can delete no more than that account could anyway. */
function removeAs(uid: number, gid: number, path: string): void {
  try {
    execFileSync('/bin/rm', ['-rf', '--', path], { uid, gid, timeout: 60_000, stdio: 'ignore' });
  } catch {
    // what it could not delete makes the rmdir below fail, with a message naming the path
  }
}

/**
 * Deletes `path` (a file, a link, or a whole tree) whose parent directory is trusted, without following anything
 * another account controls: a directory of another account is emptied by that account (`rm -rf` run as its owner),
 * a directory of ours is first closed to writes by anyone else (0711) and then emptied entry by entry the same way.
 */
export function removeTree(path: string): void {
  const st = lstatOrNull(path);
  if (!st) return;
  if (!st.isDirectory()) {
    unlinkSync(path);
    return;
  }
  if (trustedOwner(st.uid)) {
    // the entry cannot be swapped (its parent is trusted); once 0711, nothing in it can be either, and the owners of
    // its subdirectories can still reach them to empty them
    chmodSync(path, 0o711);
    for (const name of readdirSync(path)) removeTree(join(path, name));
  } else if (agentUid() === 0) removeAs(st.uid, st.gid, path);
  else return;
  try {
    rmdirSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot remove ${path}: ${(err as Error).message}`);
  }
}

export interface DirSpec {
  /** Permission bits the directory must have. */
  mode: number;
  /** Its group (default: left as created). Its owner is always the agent's account. */
  gid?: number;
  /** Throw instead of removing what is there when it is not such a directory (it may hold what must not be lost). */
  keepForeign?: boolean;
}

/**
 * Makes `parent/name` a directory of the agent's account with exactly `spec`, where `parent` is trusted (from
 * {@link resolveTrustedDir} or this function). Anything else found there is removed first, never reused.
 */
export function ensureDir(parent: string, name: string, spec: DirSpec): string {
  const path = join(parent, name);
  let st = lstatOrNull(path);
  if (st && !(st.isDirectory() && st.uid === agentUid())) {
    if (spec.keepForeign) throw new Error(`${path} is not a directory of uid ${agentUid()}; the agent will not use it`);
    if (st.isDirectory()) {
      // moved aside at once (a rename acts on the entry, not on what it holds), so its owner cannot hold the name
      const aside = join(parent, `.${name}.removed-${randomBytes(6).toString('hex')}`);
      renameSync(path, aside);
      try {
        removeTree(aside);
      } catch {
        // left to its owner, under a name the agent never uses
      }
    } else unlinkSync(path);
    st = null;
  }
  if (!st) {
    mkdirSync(path, { mode: 0o700 });
    st = lstatSync(path);
  }
  // both act on the entry itself, which no one else can swap: it sits in a trusted directory
  if (spec.gid !== undefined && st.gid !== spec.gid) lchownSync(path, st.uid, spec.gid);
  if ((st.mode & 0o7777) !== spec.mode) chmodSync(path, spec.mode);
  st = lstatSync(path);
  if (!st.isDirectory() || st.uid !== agentUid() || (st.mode & 0o7777) !== spec.mode) throw new Error(`${path} cannot be made a directory of uid ${agentUid()} with mode ${spec.mode.toString(8)}`);
  return path;
}

/**
 * `path` as a trusted directory with `spec`: missing components are created (0755 for the ones above it), and every
 * existing one is checked by {@link resolveTrustedDir}. Returns the real path.
 */
export function ensureTrustedDir(path: string, spec: DirSpec): string {
  const full = resolve(path);
  const missing = [basename(full)];
  let existing = dirname(full);
  for (;;) {
    try {
      existing = resolveTrustedDir(existing);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || existing === dirname(existing)) throw err;
      missing.unshift(basename(existing));
      existing = dirname(existing);
    }
  }
  for (const [i, name] of missing.entries()) existing = ensureDir(existing, name, i === missing.length - 1 ? spec : { mode: 0o755 });
  return existing;
}
