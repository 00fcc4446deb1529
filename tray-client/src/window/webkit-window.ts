/**
 * @module macOS without a Chromium-based browser: the prompt page in a WebKit window of its own. `osascript -l
 * JavaScript` runs a short script that opens an NSWindow holding a WKWebView on the page's URL, and runs until that
 * window closes; closing the window ends the process, and ending the process closes the window. Nothing to install:
 * osascript, AppKit and WebKit ship with macOS, and the script scripts no application, so no Automation prompt.
 */
import type { AppWindow, WindowGeometry } from './browser';
import { spawnBrowser } from './browser';

export const osascript = '/usr/bin/osascript';

/**
 * The script. AppKit's numbers are written out (their names are not all bridged on every macOS): style titled (1) |
 * closable (2) | miniaturizable (4), backing buffered (2), the floating window level (3), resizing with the window
 * (width 2 | height 16), and the accessory activation policy (1: no Dock icon). AppKit counts y from the bottom of the
 * primary screen, `geometry` from its top.
 */
export function webkitWindowScript(url: string, geometry: WindowGeometry, title = 'Fixpoint'): string {
  const { x, y, width, height } = geometry;
  return [
    'ObjC.import("Cocoa");',
    'ObjC.import("WebKit");',
    'var app = $.NSApplication.sharedApplication;',
    'app.setActivationPolicy(1);',
    'var screen = $.NSScreen.screens.objectAtIndex(0).frame;',
    `var rect = { origin: { x: ${x}, y: screen.size.height - ${y} - ${height} }, size: { width: ${width}, height: ${height} } };`,
    'var win = $.NSWindow.alloc.initWithContentRectStyleMaskBackingDefer(rect, 1 | 2 | 4, 2, false);',
    `win.title = ${JSON.stringify(title)};`,
    'win.level = 3;',
    'win.releasedWhenClosed = false;',
    'ObjC.registerSubclass({ name: "FixpointPromptWindowDelegate", protocols: ["NSWindowDelegate"], methods: {',
    '  "windowWillClose:": { types: ["void", ["id"]], implementation: function () { $.NSApp.terminate(null); } } } });',
    'var delegate = $.FixpointPromptWindowDelegate.alloc.init;',
    'win.delegate = delegate;',
    'var view = $.WKWebView.alloc.initWithFrameConfiguration(win.contentView.bounds, $.WKWebViewConfiguration.alloc.init);',
    'view.autoresizingMask = 2 | 16;',
    'win.contentView.addSubview(view);',
    `view.loadRequest($.NSURLRequest.requestWithURL($.NSURL.URLWithString(${JSON.stringify(url)})));`,
    'win.makeKeyAndOrderFront(null);',
    'app.activateIgnoringOtherApps(true);',
    'app.run;',
  ].join('\n');
}

/** The command line of the WebKit window. */
export function webkitWindowCommand(url: string, geometry: WindowGeometry): { command: string; args: string[] } {
  return { command: osascript, args: ['-l', 'JavaScript', '-e', webkitWindowScript(url, geometry)] };
}

/** Opens the page in a WebKit window; like a browser of its own, the process ending is the window closing. */
export function openWebKitWindow(url: string, geometry: WindowGeometry): AppWindow {
  const { command, args } = webkitWindowCommand(url, geometry);
  return spawnBrowser(command, args);
}
