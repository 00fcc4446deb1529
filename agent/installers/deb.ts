/**
 * @module The Debian package of the single-file agent, built with `dpkg-deb`: the binary in /usr/lib/fixpoint (and a
 * link in /usr/bin), the systemd unit the agent's own `install` would write (commands/service.ts) pointing at it, and
 * maintainer scripts that enroll at install time and enable the service when systemd runs.
 *
 * Enrollment at install: `/etc/fixpoint/agent.conf` (shell-style `SERVER=…`, `TOKEN=…`, optional `NAME=…`), or the
 * environment of `dpkg -i` (`FIXPOINT_SERVER`, `FIXPOINT_TOKEN`, `FIXPOINT_NAME`), which wins. A device already
 * enrolled, or given neither, is left as it is (`fixpoint-agent enroll` later). No debconf questions: a fleet install
 * is unattended.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { systemdUnit } from '../src/commands/service';

export const DEB_BINARY = '/usr/lib/fixpoint/fixpoint-agent';
export const DEB_STATE_DIR = '/var/lib/fixpoint-agent';
export const DEB_CONFIG = '/etc/fixpoint/agent.conf';
export const DEB_UNIT = '/lib/systemd/system/fixpoint-agent.service';

const debArch: Record<string, string> = { 'linux-x64': 'amd64', 'linux-arm64': 'arm64' };

const control = (version: string, arch: string) => `Package: fixpoint-agent
Version: ${version}
Architecture: ${arch}
Maintainer: Fixpoint <fixpoint@example.com>
Section: admin
Priority: optional
Description: Fixpoint device agent
 Runs signed remote actions from a Fixpoint server and reports results and facts.
 A single executable with its own Node runtime.
`;

const postinst = `#!/bin/sh
# Enrolls from ${DEB_CONFIG} or FIXPOINT_SERVER/FIXPOINT_TOKEN (the environment wins), then starts the service.
set -e
[ "$1" = configure ] || exit 0
SERVER= TOKEN= NAME=
if [ -r ${DEB_CONFIG} ]; then . ${DEB_CONFIG}; fi
SERVER=\${FIXPOINT_SERVER:-$SERVER}
TOKEN=\${FIXPOINT_TOKEN:-$TOKEN}
NAME=\${FIXPOINT_NAME:-$NAME}
if [ ! -e ${DEB_STATE_DIR}/identity.json ] && [ -n "$SERVER" ] && [ -n "$TOKEN" ]; then
  FIXPOINT_AGENT_STATE_DIR=${DEB_STATE_DIR} ${DEB_BINARY} enroll --server "$SERVER" --token "$TOKEN" \${NAME:+--name "$NAME"}
fi
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  if [ -e ${DEB_STATE_DIR}/identity.json ]; then systemctl enable --now fixpoint-agent.service; fi
fi
exit 0
`;

const prerm = `#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then systemctl disable --now fixpoint-agent.service || true; fi
exit 0
`;

const postrm = `#!/bin/sh
# The enrollment survives a remove; purge forgets it.
set -e
if [ "$1" = purge ]; then rm -rf ${DEB_STATE_DIR}; fi
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
exit 0
`;

/** The unit of the package: the agent binary alone, its state in /var/lib/fixpoint-agent. */
export const debUnit = () => systemdUnit({ nodePath: DEB_BINARY, stateDir: DEB_STATE_DIR });

/** Builds `fixpoint-agent_<version>_<arch>.deb` from a Linux single-file agent into `outDir`; returns its path. */
/**
 * Builds the package. `compression` is xz's level (dpkg-deb's default, 6, unless given): the tests take 0, which
 * packs the same files several times faster.
 */
export function buildDeb(options: { binary: string; target: 'linux-x64' | 'linux-arm64'; version: string; outDir: string; compression?: number }): string {
  const arch = debArch[options.target]!;
  const tree = mkdtempSync(join(tmpdir(), 'fixpoint-deb-'));
  try {
    const put = (path: string, text: string, mode: number) => {
      const file = join(tree, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      chmodSync(file, mode);
    };
    put('DEBIAN/control', control(options.version, arch), 0o644);
    put('DEBIAN/postinst', postinst, 0o755);
    put('DEBIAN/prerm', prerm, 0o755);
    put('DEBIAN/postrm', postrm, 0o755);
    put(DEB_UNIT, debUnit(), 0o644);
    mkdirSync(join(tree, dirname(DEB_BINARY)), { recursive: true });
    copyFileSync(options.binary, join(tree, DEB_BINARY));
    chmodSync(join(tree, DEB_BINARY), 0o755);
    mkdirSync(join(tree, 'usr/bin'), { recursive: true });
    symlinkSync(DEB_BINARY, join(tree, 'usr/bin/fixpoint-agent'));
    mkdirSync(options.outDir, { recursive: true });
    const out = join(options.outDir, `fixpoint-agent_${options.version}_${arch}.deb`);
    execFileSync('dpkg-deb', ['--root-owner-group', `-z${options.compression ?? 6}`, '-Zxz', '--build', tree, out], { stdio: ['ignore', 'ignore', 'inherit'] });
    return out;
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}
