/**
 * Self-help end to end, with real processes only (the setup: ../testing/self-help.ts): the user answers the prompt a
 * script asked for, declines it, or leaves it unanswered, and another local account cannot reach the tray's socket.
 * The re-asking cases are in self-help.reasking.e2e.test.ts, the cases without a tray or a session in
 * self-help.sessions.e2e.test.ts; the files run side by side, each on a desktop of its own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgentBundle } from '../testing/agent-process';
import { buildTrayBundle, traySocket } from '../testing/desktop';
import { waitUntil } from '../testing/live';
import { canRunSelfHelp, selfHelpSkipNote, startSelfHelp, type SelfHelp } from '../testing/self-help';

const title = 'self-help: a script asks the logged-in user through the tray, who answers';
describe.skipIf(!canRunSelfHelp)(canRunSelfHelp ? title : `${title} ${selfHelpSkipNote}`, () => {
  let s: SelfHelp;

  beforeAll(async () => {
    s = await startSelfHelp(buildAgentBundle(), buildTrayBundle());
  }, 240_000);

  afterAll(async () => {
    await s?.stop();
  });

  it('shows the prompt, and the script clears the folder only after the user said yes', async () => {
    const id = await s.launch('disk-cleanup');
    await s.answer('yes', [{ role: 'radio', name: 'Yes' }, { role: 'button', name: 'Finish' }]);
    const done = await s.finished(id);
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'succeeded', outputs: { campaign_status: 'fully', campaign_exit: 0, cleared: true } });
    expect(JSON.parse(done.stdoutTail.trim())).toMatchObject({ status: 'fully', answers: { clean: ['yes'] }, freeText: {} });
    expect(readdirSync(s.folder)).toEqual([]);
    const [stored] = await s.responses('disk-cleanup');
    expect(stored).toMatchObject({ state: 'fully', answers: { clean: ['yes'] }, user: s.user.name, deviceId: s.agent.deviceId, parameters: { size: '12GB' } });
    await waitUntil(async () => !(await s.desktop.promptWindowOpen()), 15_000, 'the window closed');
  }, 120_000);

  it('leaves the folder alone when the user declines (with the keyboard only)', async () => {
    const id = await s.launch('disk-cleanup');
    // the first choice has the focus; Tab leaves the radio group for the first button, "No thanks"
    await s.answer('decline', [{ key: 'Tab' }, { key: 'Enter' }]);
    const done = await s.finished(id);
    expect(done.outputs).toEqual({ campaign_status: 'declined', campaign_exit: 10, cleared: false });
    expect(readdirSync(s.folder).sort()).toEqual(['a.tmp', 'b.tmp']);
    expect((await s.responses('disk-cleanup'))[0]).toMatchObject({ state: 'declined' });
  }, 120_000);

  it('times out when the prompt stays unanswered, and the window goes away', async () => {
    const id = await s.launch('disk-cleanup', 5);
    await s.desktop.promptPage();
    const done = await s.finished(id);
    expect(done.outputs).toEqual({ campaign_status: 'timeout', campaign_exit: 12, cleared: false });
    expect((await s.responses('disk-cleanup'))[0]).toMatchObject({ state: 'timeout' });
    await waitUntil(async () => !(await s.desktop.promptWindowOpen()), 15_000, 'the window closed');
  }, 120_000);

  it('refuses another local user on the tray socket', () => {
    const { user, intruder } = s;
    const probe = `require('net').connect(${JSON.stringify(traySocket(user).socket)}).on('error', (e) => { console.log(e.code); process.exit(0); }).on('connect', () => { console.log('connected'); process.exit(0); });`;
    const out = execFileSync(process.execPath, ['-e', probe], { uid: intruder.uid, gid: intruder.gid, encoding: 'utf8' });
    expect(out.trim()).toBe('EACCES');
    const read = spawnSync('cat', [traySocket(user).token], { uid: intruder.uid, gid: intruder.gid, encoding: 'utf8' });
    expect(read.status).not.toBe(0);
    expect(read.stderr).toMatch(/Permission denied/);
  });
});
