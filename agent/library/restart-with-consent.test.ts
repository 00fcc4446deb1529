/**
 * restart-with-consent's Linux script, for real through the agent's runner. Here no campaign can be asked (the run has
 * no control socket), so the script must report `error` and never restart; values a launch could never carry are
 * refused before anything is asked. The consent flow itself (countdown, deadline, exit 18) runs in the desktop test
 * `backend/src/channel/self-help.deadline.e2e.test.ts`.
 */
import { expect, it } from 'vitest';
import { describeEachToolset, libraryAction, runLinux } from './testing';

const action = libraryAction('restart-with-consent');

describeEachToolset('restart-with-consent', () => {
  it('reports error and restarts nothing when the campaign cannot be asked', async () => {
    const r = await runLinux(action, { dry_run: false });
    expect(r.status).toBe('failed');
    expect(r.exitCode).toBe(3);
    expect(r.outputs).toEqual({ decision: 'error', restarted: false });
  });

  it('refuses a deadline out of range and parameters that are not numbers, without running their text', async () => {
    const out = await runLinux(action, { deadline_minutes: 5000 });
    expect(out.status).toBe('failed');
    expect(out.error).toContain('deadline_minutes must be from 1 to 1380');
    const odd = await runLinux(action, { deadline_minutes: '$(id)', max_postpones: 3, countdown_sec: 300, dry_run: true, campaign: 'x' }, { raw: true });
    expect(odd.status).toBe('failed');
    expect(odd.error).toContain('must be whole numbers');
  });
});
