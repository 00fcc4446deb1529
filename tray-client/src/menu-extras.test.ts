import { describe, expect, it } from 'vitest';
import type { SelfServiceFix } from '@fixpoint/protocol';
import { clickExtra, extraMenuItems } from './menu-extras';

const fixes: SelfServiceFix[] = [{ action: 'clear-temp', title: { en: 'Clear temporary files', fr: 'Vider les fichiers temporaires' }, description: { en: 'Frees space.' }, defaultLanguage: 'en' }];

describe('the self-service menu entries', () => {
  it('list the fixes under "Fix a problem", in the user’s language, then the activity view', () => {
    const [fix, activity] = extraMenuItems(fixes, 'fr');
    expect(fix!.title).toBe('Résoudre un problème');
    expect(fix!.items!.map((i) => i.title)).toEqual(['Vider les fichiers temporaires']);
    expect(activity!.title).toBe('Activité récente');
    expect(extraMenuItems([], 'en')[0]!.items).toEqual([expect.objectContaining({ enabled: false })]);
  });

  it('open the window a click asks for', () => {
    const opened: string[] = [];
    const handlers = { openFixes: (a?: string) => opened.push(`fixes:${a ?? ''}`), openActivity: () => opened.push('activity') };
    expect(clickExtra('Clear temporary files', fixes, 'en', handlers)).toBe(true);
    expect(clickExtra('Fix a problem', fixes, 'en', handlers)).toBe(true);
    expect(clickExtra('Recent activity', fixes, 'en', handlers)).toBe(true);
    expect(clickExtra('About Fixpoint', fixes, 'en', handlers)).toBe(false);
    expect(opened).toEqual(['fixes:clear-temp', 'fixes:', 'activity']);
  });
});
