// @vitest-environment node
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openWebKitWindow, osascript, webkitWindowCommand, webkitWindowScript } from './webkit-window';

const geometry = { width: 440, height: 560, x: 984, y: 48 };
const url = 'http://127.0.0.1:51234/p/Zm9vYmFy/';

describe('WebKit prompt window', () => {
  it('runs a JavaScript for Automation script through osascript', () => {
    const { command, args } = webkitWindowCommand(url, geometry);
    expect(command).toBe('/usr/bin/osascript');
    expect(args.slice(0, 3)).toEqual(['-l', 'JavaScript', '-e']);
    expect(args[3]).toBe(webkitWindowScript(url, geometry));
  });

  it('opens an NSWindow with a WKWebView on the page, and ends when the window closes', () => {
    const script = webkitWindowScript(url, geometry);
    expect(script).toContain(`$.NSURL.URLWithString(${JSON.stringify(url)})`);
    expect(script).toContain('WKWebView');
    expect(script).toContain('"windowWillClose:"');
    expect(script).toContain('$.NSApp.terminate(null)');
    // AppKit's origin is the bottom-left corner: the window's top stays 48 points under the screen's top
    expect(script).toContain('origin: { x: 984, y: screen.size.height - 48 - 560 }, size: { width: 440, height: 560 }');
    expect(script).not.toMatch(/tell\s+application|Application\(/i);
    expect(() => new Function('ObjC', '$', script)).not.toThrow();
  });

  it('keeps the URL a string, whatever it holds', () => {
    const hostile = 'http://127.0.0.1:1/p/x"));$.NSTask.launchedTaskWithLaunchPathArguments("/bin/sh",[]);//';
    const script = webkitWindowScript(hostile, geometry);
    expect(() => new Function('ObjC', '$', script)).not.toThrow();
    const line = script.split('\n').find((l) => l.startsWith('view.loadRequest'))!;
    // the line holds exactly one string literal: the whole URL
    expect(line).toBe(`view.loadRequest($.NSURLRequest.requestWithURL($.NSURL.URLWithString(${JSON.stringify(hostile)})));`);
  });

  it.skipIf(existsSync(osascript))('reports the window closed when osascript cannot start', async () => {
    const win = openWebKitWindow(url, geometry);
    await expect(Promise.race([win.closed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('hung'), 5000))])).resolves.toBe('closed');
  });
});
