import { chmodSync, chownSync, existsSync, lchownSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/helpers';
import { ensurePrivateDir, writeFileAtomic } from './files';
import { ensureDir, ensureTrustedDir, removeTree, resolveTrustedDir } from './trusted-dirs';

const isRoot = process.getuid?.() === 0 && process.platform !== 'win32';
/** Another account (it needs no passwd entry to own files or to run rm). */
const other = { uid: 54321, gid: 54321 };
const title = 'directories the agent builds on';

describe.skipIf(!isRoot)(isRoot ? title : `${title} (skipped: needs root, to own files as another account)`, () => {
  let root: string;
  let decoy: string;

  beforeEach(() => {
    root = tempDir('fixpoint-trust-');
    chmodSync(root, 0o755);
    // root's decoy, which links planted by the other account point at
    decoy = join(root, 'decoy');
    mkdirSync(join(decoy, 'inner'), { recursive: true, mode: 0o755 });
    writeFileSync(join(decoy, 'token'), 'root secret\n', { mode: 0o600 });
    chmodSync(decoy, 0o755);
  });

  const decoyIntact = () => {
    const st = lstatSync(decoy);
    expect([st.uid, st.mode & 0o7777]).toEqual([0, 0o755]);
    expect(readdirSync(decoy).sort()).toEqual(['inner', 'token']);
    expect(readFileSync(join(decoy, 'token'), 'utf8')).toBe('root secret\n');
  };

  /** A directory of the other account holding links to the decoy, as an attacker would leave it. */
  const plantForeign = (path: string) => {
    mkdirSync(join(path, 'sub'), { recursive: true });
    symlinkSync(decoy, join(path, 'sub', 'deeper'));
    symlinkSync(join(decoy, 'token'), join(path, 'token'));
    for (const p of [path, join(path, 'sub')]) chownSync(p, other.uid, other.gid);
    for (const p of [join(path, 'sub', 'deeper'), join(path, 'token')]) lchownSync(p, other.uid, other.gid);
  };

  it('follows only links no one else can change, and refuses directories others could swap', () => {
    symlinkSync(decoy, join(root, 'ours'));
    expect(resolveTrustedDir(join(root, 'ours', 'inner'))).toBe(join(decoy, 'inner'));

    const theirs = join(root, 'theirs');
    mkdirSync(theirs);
    chownSync(theirs, other.uid, other.gid);
    expect(() => resolveTrustedDir(theirs)).toThrow(/belongs to uid 54321/);
    const open = join(root, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(() => resolveTrustedDir(join(open))).toThrow(/writable by everyone/);
    // in a shared sticky directory (/tmp), a link of another account could be re-pointed at any time
    const sticky = join(root, 'sticky');
    mkdirSync(sticky);
    chmodSync(sticky, 0o1777);
    symlinkSync(decoy, join(sticky, 'link'));
    lchownSync(join(sticky, 'link'), other.uid, other.gid);
    expect(() => resolveTrustedDir(join(sticky, 'link', 'inner'))).toThrow(/link of uid 54321 in a shared directory/);
  });

  it('replaces another account’s directory or link by its own folder, removing it without following its links', () => {
    const taken = join(root, 'taken');
    plantForeign(taken);
    symlinkSync(decoy, join(root, 'linked'));
    for (const name of ['taken', 'linked']) {
      const path = ensureDir(root, name, { mode: 0o750, gid: other.gid });
      const st = lstatSync(path);
      expect([st.isDirectory(), st.uid, st.gid, st.mode & 0o7777]).toEqual([true, 0, other.gid, 0o750]);
      expect(readdirSync(path)).toEqual([]);
    }
    expect(readdirSync(root).sort()).toEqual(['decoy', 'linked', 'taken']);
    decoyIntact();
  });

  it('removes a tree holding another account’s directories as that account', () => {
    const tree = join(root, 'tree');
    mkdirSync(tree);
    plantForeign(join(tree, 'user-run'));
    symlinkSync(decoy, join(tree, 'link'));
    removeTree(tree);
    expect(existsSync(tree)).toBe(false);
    decoyIntact();
  });

  it('creates a state dir 0700 and refuses one that belongs to someone else or sits under their directory', () => {
    const state = join(root, 'a', 'b', 'state');
    ensurePrivateDir(state);
    expect(lstatSync(state).mode & 0o7777).toBe(0o700);
    expect(lstatSync(join(root, 'a')).mode & 0o7777).toBe(0o755);
    chmodSync(state, 0o755);
    ensurePrivateDir(state);
    expect(lstatSync(state).mode & 0o7777).toBe(0o700);

    const theirs = join(root, 'theirs');
    plantForeign(theirs);
    expect(() => ensurePrivateDir(theirs)).toThrow(/not a directory of uid 0/);
    expect(() => ensurePrivateDir(join(theirs, 'sub', 'state'))).toThrow(/belongs to uid 54321/);
    symlinkSync(decoy, join(root, 'state-link'));
    expect(() => ensureTrustedDir(join(root, 'state-link'), { mode: 0o700, keepForeign: true })).toThrow(/not a directory of uid 0/);
    expect(existsSync(join(theirs, 'sub', 'state'))).toBe(false);
    decoyIntact();
  });

  it('writes a state file through a new temp file, never through a link left where the temp file goes', () => {
    const file = join(root, 'status.json');
    symlinkSync(join(decoy, 'token'), `${file}.${process.pid}.tmp`);
    writeFileAtomic(file, '{"ok":true}\n', 0o600);
    expect(readFileSync(file, 'utf8')).toBe('{"ok":true}\n');
    expect(lstatSync(file).mode & 0o7777).toBe(0o600);
    decoyIntact();
  });
});
