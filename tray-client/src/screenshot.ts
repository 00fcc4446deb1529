/**
 * @module The screen as the user sees it, for "Get help": taken with the platform's own tool when the form opens,
 * shown to the user as a preview, and sent only if they tick the box. Linux: ImageMagick's `import -window root`
 * (X11; under Wayland it may capture nothing and says so). macOS: `screencapture`. Elsewhere, or when the tool is
 * missing or the image would be too large, the form says why there is none.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helpLimits, type HelpScreenshot } from '@fixpoint/protocol';

export type ScreenshotResult = { ok: true; screenshot: HelpScreenshot } | { ok: false; reason: string };

function run(file: string, args: string[], timeoutMs: number): Promise<{ ok: boolean; message: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs }, (error, _stdout, stderr) =>
      resolve(error ? { ok: false, message: ((error as NodeJS.ErrnoException).code === 'ENOENT' ? `${file} is not installed` : String(stderr).trim() || error.message).slice(0, 300) } : { ok: true, message: '' }),
    );
  });
}

/** The tool and arguments for this platform, writing a JPEG to `file`; null where there is none. */
export function screenshotCommand(platform: NodeJS.Platform, file: string): { file: string; args: string[] } | null {
  if (platform === 'linux') return { file: 'import', args: ['-silent', '-window', 'root', '-resize', '1600x1600>', '-quality', '70', `jpeg:${file}`] };
  if (platform === 'darwin') return { file: '/usr/sbin/screencapture', args: ['-x', '-t', 'jpg', file] };
  return null;
}

export async function takeScreenshot(platform: NodeJS.Platform = process.platform, timeoutMs = 10_000): Promise<ScreenshotResult> {
  const dir = mkdtempSync(join(tmpdir(), 'fixpoint-shot-'));
  try {
    const file = join(dir, 'screen.jpg');
    const command = screenshotCommand(platform, file);
    if (!command) return { ok: false, reason: 'this system has no screenshot tool Fixpoint can use' };
    const done = await run(command.file, command.args, timeoutMs);
    if (!done.ok) return { ok: false, reason: done.message };
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return { ok: false, reason: 'the screenshot tool wrote no image' };
    }
    if (!bytes.length) return { ok: false, reason: 'the screenshot tool wrote no image' };
    if (bytes.length > helpLimits.maxScreenshotBytes)
      return { ok: false, reason: `the screenshot is ${Math.ceil(bytes.length / 1024)} KB, more than the ${helpLimits.maxScreenshotBytes / 1024} KB allowed` };
    return { ok: true, screenshot: { mediaType: 'image/jpeg', data: bytes.toString('base64') } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
