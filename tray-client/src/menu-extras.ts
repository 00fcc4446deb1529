/**
 * @module The tray menu's self-service entries: "Fix a problem" with one item per fix the device offers, and "Recent
 * activity". Both the icon's clicks and the test switch (`FIXPOINT_TRAY_TEST=1`, a line `menu <title>` on stdin) go
 * through `clickExtra`, so a test clicks what a user clicks.
 */
import { localize, type SelfServiceFix } from '@fixpoint/protocol';
import type { MenuItem } from 'systray2';
import { activityStrings, selfServiceStrings } from './components';

export interface ExtraMenuHandlers {
  /** Opens the self-service window, on one fix when `action` names it. */
  openFixes(action?: string): void;
  openActivity(): void;
}

const fixTitle = (fix: SelfServiceFix, language: string) => localize(fix.title, language, fix.defaultLanguage);

/** The items after "Do not disturb": the fixes as a submenu, then the activity view. */
export function extraMenuItems(fixes: readonly SelfServiceFix[], language: string): MenuItem[] {
  const s = selfServiceStrings(language);
  const items: MenuItem[] = fixes.length
    ? fixes.map((f) => ({ title: fixTitle(f, language), tooltip: localize(f.description, language, f.defaultLanguage).slice(0, 200), enabled: true }))
    : [{ title: s.none, tooltip: s.none, enabled: false }];
  return [
    { title: s.title, tooltip: s.intro, enabled: true, items },
    { title: activityStrings(language).title, tooltip: activityStrings(language).intro, enabled: true },
  ];
}

/** Acts on a click on the item titled `title`; false when it is not one of these. */
export function clickExtra(title: string, fixes: readonly SelfServiceFix[], language: string, handlers: ExtraMenuHandlers): boolean {
  if (title === selfServiceStrings(language).title) return handlers.openFixes(), true;
  if (title === activityStrings(language).title) return handlers.openActivity(), true;
  const fix = fixes.find((f) => fixTitle(f, language) === title);
  if (!fix) return false;
  handlers.openFixes(fix.action);
  return true;
}
