/**
 * @module The macOS package of the single-file agent: a tarball with the binaries, the launchd daemon plist that
 * `fixpoint-agent install` would write (commands/service.ts) pointing at the installed binary, and `install.sh`.
 * When the single-file tray is built (x64 only: systray2 has no arm64 helper), it goes in too, with its helper in
 * `traybin/` and the LaunchAgent that starts it in every GUI session (commands/autostart.ts).
 * No .pkg: Apple's pkgbuild/productbuild exist only on macOS, and no maintained tool builds a signed .pkg on Linux.
 *
 *   sudo ./install.sh [--server URL --token T]     (or FIXPOINT_SERVER / FIXPOINT_TOKEN in the environment)
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TRAY_LAUNCHD_LABEL, trayLaunchAgentPlist } from '../src/commands/autostart';
import { GUI_SESSION_PS } from '../src/commands/gui-sessions';
import { LAUNCHD_LABEL, launchdPlist } from '../src/commands/service';

export const MACOS_BINARY = '/usr/local/lib/fixpoint/fixpoint-agent';
/** Beside the agent, named as `fixpoint-agent install` looks for it (commands/tray-location.ts); its helper in traybin/. */
export const MACOS_TRAY = '/usr/local/lib/fixpoint/fixpoint-tray';
const TRAY_HELPER = 'traybin/tray_darwin_release';
const STATE_DIR = '/Library/Application Support/Fixpoint';

/** The launchd daemon of the package: the binary alone, state in the agent's default macOS folder. */
export const macosPlist = () => launchdPlist({ nodePath: MACOS_BINARY, stateDir: STATE_DIR });
/** The tray's LaunchAgent of the package: the installed single-file tray alone. */
export const macosTrayPlist = () => trayLaunchAgentPlist({ trayPath: MACOS_TRAY });

export const installScript = `#!/bin/sh
# Installs the Fixpoint agent as a launchd daemon: sudo ./install.sh [--server URL --token TOKEN [--name NAME]]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
SERVER=\${FIXPOINT_SERVER:-} TOKEN=\${FIXPOINT_TOKEN:-} NAME=\${FIXPOINT_NAME:-}
while [ $# -gt 0 ]; do
  case "$1" in
    --server) SERVER=$2; shift 2 ;;
    --token) TOKEN=$2; shift 2 ;;
    --name) NAME=$2; shift 2 ;;
    *) echo "usage: sudo $0 [--server URL --token TOKEN [--name NAME]]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root (sudo)" >&2; exit 1; }
# Apple Silicon runs the x64 build under Rosetta 2 when there is no arm64 one
binary="$here/fixpoint-agent-darwin-x64"
if [ "$(uname -m)" = arm64 ] && [ -f "$here/fixpoint-agent-darwin-arm64" ]; then binary="$here/fixpoint-agent-darwin-arm64"; fi
mkdir -p "$(dirname ${MACOS_BINARY})" /Library/Logs/Fixpoint
install -m 0755 "$binary" ${MACOS_BINARY}
if [ -n "$SERVER" ] && [ -n "$TOKEN" ] && [ ! -e "${STATE_DIR}/identity.json" ]; then
  FIXPOINT_AGENT_STATE_DIR="${STATE_DIR}" ${MACOS_BINARY} enroll --server "$SERVER" --token "$TOKEN" \${NAME:+--name "$NAME"}
fi
launchctl bootout system/${LAUNCHD_LABEL} 2>/dev/null || true
install -m 0644 "$here/${LAUNCHD_LABEL}.plist" /Library/LaunchDaemons/${LAUNCHD_LABEL}.plist
launchctl bootstrap system /Library/LaunchDaemons/${LAUNCHD_LABEL}.plist
echo "installed ${MACOS_BINARY}; the daemon ${LAUNCHD_LABEL} is running"
# the tray (x64, under Rosetta 2 on Apple Silicon): every GUI session at its next login, and the sessions open now
if [ -f "$here/fixpoint-tray-darwin-x64" ]; then
  mkdir -p "$(dirname ${MACOS_TRAY})/traybin"
  install -m 0755 "$here/fixpoint-tray-darwin-x64" ${MACOS_TRAY}
  install -m 0755 "$here/${TRAY_HELPER}" "$(dirname ${MACOS_TRAY})/${TRAY_HELPER}"
  install -m 0644 "$here/${TRAY_LAUNCHD_LABEL}.plist" /Library/LaunchAgents/${TRAY_LAUNCHD_LABEL}.plist
  for uid in $(${GUI_SESSION_PS.join(' ')} | awk '$2 ~ /(^|[/])loginwindow$/ && $1 != 0 { print $1 }' | sort -u); do
    launchctl bootstrap "gui/$uid" /Library/LaunchAgents/${TRAY_LAUNCHD_LABEL}.plist 2>/dev/null || true
  done
  echo "installed ${MACOS_TRAY}; it starts in every GUI session"
fi
`;

/**
 * Builds `fixpoint-agent-<version>-macos.tar.gz` from the macOS binaries, and the x64 tray when given (`tray`: the
 * single-file tray, with systray2's helper in `traybin/` beside it, as build-sea.mjs leaves them); returns its path.
 */
export function buildMacosTarball(options: { binaries: { target: string; file: string }[]; tray?: string; version: string; outDir: string }): string {
  const name = `fixpoint-agent-${options.version}-macos`;
  const tree = mkdtempSync(join(tmpdir(), 'fixpoint-macos-'));
  try {
    const dir = join(tree, name);
    mkdirSync(dir);
    for (const { target, file } of options.binaries) {
      copyFileSync(file, join(dir, `fixpoint-agent-${target}`));
      chmodSync(join(dir, `fixpoint-agent-${target}`), 0o755);
    }
    writeFileSync(join(dir, `${LAUNCHD_LABEL}.plist`), macosPlist());
    if (options.tray) {
      copyFileSync(options.tray, join(dir, 'fixpoint-tray-darwin-x64'));
      chmodSync(join(dir, 'fixpoint-tray-darwin-x64'), 0o755);
      mkdirSync(join(dir, 'traybin'));
      copyFileSync(join(dirname(options.tray), TRAY_HELPER), join(dir, TRAY_HELPER));
      chmodSync(join(dir, TRAY_HELPER), 0o755);
      writeFileSync(join(dir, `${TRAY_LAUNCHD_LABEL}.plist`), macosTrayPlist());
    }
    writeFileSync(join(dir, 'install.sh'), installScript, { mode: 0o755 });
    mkdirSync(options.outDir, { recursive: true });
    const out = join(options.outDir, `${name}.tar.gz`);
    execFileSync('tar', ['-czf', out, '--owner=0', '--group=0', '-C', tree, name]);
    return out;
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}
