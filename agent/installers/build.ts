/**
 * @module `npm run build:installers`: the single-file agents and trays (sea/build-sea.mjs), then the packages made
 * from them, into dist/agent/: a .deb per Linux architecture, the MSI with the tray (needs wixl and msitools) and the macOS tarball with the tray.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildSea, buildTraySea, defaultOutDir } from '../sea/build-sea.mjs';
import { buildDeb } from './deb';
import { buildMacosTarball } from './macos';
import { buildMsi } from './msi';

/** wixl builds the MSI and msibuild (msitools) adds the shortcut's app id to it. */
function hasWixl(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v wixl && command -v msibuild'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
const { built } = await buildSea();
const trays = (await buildTraySea()).built;
const outDir = defaultOutDir;
for (const { target, file } of built) {
  if (target === 'linux-x64' || target === 'linux-arm64') console.log(`deb: ${buildDeb({ binary: file, target, version, outDir })}`);
  if (target === 'win-x64') {
    const tray = trays.find((t) => t.target === target)!.file;
    if (hasWixl()) console.log(`msi: ${buildMsi({ binary: file, winswDir: outDir, tray, version, outDir })}`);
    else console.log('msi: skipped: wixl or msibuild is not installed (Debian packages wixl and msitools)');
  }
}
const mac = built.filter((b) => b.target.startsWith('darwin-'));
const macTray = trays.find((t) => t.target === 'darwin-x64')?.file;
if (mac.length) console.log(`macos: ${buildMacosTarball({ binaries: mac, tray: macTray, version, outDir })}`);
