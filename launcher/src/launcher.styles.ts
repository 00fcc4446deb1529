/**
 * @module
 * The launcher's CSS, as a string the host puts in the panel's shadow root (or the console's page). Everything is
 * scoped under `.fp-launcher`; `:host` resets inherited page styles when rendered in a shadow root (`all` leaves
 * `direction` and `unicode-bidi` alone, so they are set too: an RTL page must not turn the panel around).
 */
export const launcherStyles = `
:host { all: initial; direction: ltr; unicode-bidi: isolate; }
.fp-launcher, .fp-launcher * { box-sizing: border-box; }
.fp-launcher {
  --fp-bg: #ffffff; --fp-fg: #1d2330; --fp-muted: #5b6475; --fp-line: #d9dee7; --fp-accent: #2457d6; --fp-accent-fg: #fff;
  --fp-ok: #1b7f3b; --fp-bad: #b42318; --fp-busy: #8a5a00; --fp-soft: #f3f5f9;
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fp-fg); background: var(--fp-bg);
  display: flex; flex-direction: column; gap: 10px; padding: 12px; min-width: 0; direction: ltr; unicode-bidi: isolate; text-align: left;
}
@media (prefers-color-scheme: dark) {
  .fp-launcher { --fp-bg: #171b24; --fp-fg: #e7eaf0; --fp-muted: #a3abbb; --fp-line: #343b4a; --fp-accent: #7aa2ff; --fp-accent-fg: #0d1220;
    --fp-ok: #5fd48a; --fp-bad: #ff8a80; --fp-busy: #ffc266; --fp-soft: #222838; }
}
.fp-launcher h2, .fp-launcher h3 { margin: 0; font-size: 13px; font-weight: 600; }
.fp-launcher p { margin: 0; }
.fp-muted { color: var(--fp-muted); }
.fp-row { display: flex; gap: 6px; align-items: center; }
.fp-row > input { flex: 1; min-width: 0; }
.fp-launcher button, .fp-launcher input, .fp-launcher select {
  font: inherit; color: inherit; border: 1px solid var(--fp-line); border-radius: 6px; background: var(--fp-bg); padding: 5px 8px;
}
.fp-launcher button { cursor: pointer; background: var(--fp-soft); }
.fp-launcher button.fp-primary { background: var(--fp-accent); border-color: var(--fp-accent); color: var(--fp-accent-fg); font-weight: 600; }
.fp-launcher button:disabled { opacity: .55; cursor: default; }
.fp-launcher :focus-visible { outline: 2px solid var(--fp-accent); outline-offset: 1px; }
.fp-list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; max-height: 220px; overflow: auto; }
.fp-list button { width: 100%; text-align: left; display: flex; flex-direction: column; gap: 1px; background: var(--fp-bg); }
.fp-list button:hover { border-color: var(--fp-accent); }
.fp-card { border: 1px solid var(--fp-line); border-radius: 8px; padding: 8px 10px; display: flex; flex-direction: column; gap: 4px; }
.fp-facts { display: grid; grid-template-columns: auto 1fr; gap: 1px 10px; margin: 0; }
.fp-facts dt { color: var(--fp-muted); }
.fp-facts dd { margin: 0; overflow-wrap: anywhere; }
.fp-badge { display: inline-block; border-radius: 999px; padding: 0 7px; font-size: 11px; font-weight: 600; border: 1px solid currentColor; }
.fp-tone-done { color: var(--fp-ok); } .fp-tone-bad { color: var(--fp-bad); } .fp-tone-busy { color: var(--fp-busy); }
.fp-field { display: flex; flex-direction: column; gap: 2px; }
.fp-field label { font-weight: 600; }
.fp-field input[type=checkbox] { align-self: flex-start; }
.fp-error { color: var(--fp-bad); }
.fp-banner { border-left: 3px solid var(--fp-bad); padding: 4px 8px; background: var(--fp-soft); }
.fp-launcher pre { margin: 0; max-height: 160px; overflow: auto; background: var(--fp-soft); padding: 6px 8px; border-radius: 6px;
  font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
.fp-actions-bar { display: flex; gap: 6px; flex-wrap: wrap; }
.fp-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
