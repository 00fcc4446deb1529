import { describe, expect, it } from 'vitest';
import { windowsPipeName } from '@fixpoint/protocol/tray-crypto';
import { agentEndpoint, socketFor } from './socket-path';

describe('where the tray finds the agent', () => {
  it('looks in root’s folder for its uid, never in a directory the user owns such as XDG_RUNTIME_DIR', async () => {
    const env = { XDG_RUNTIME_DIR: '/run/user/1000' };
    expect(await agentEndpoint(env, 'linux', 1000)).toEqual({ socket: '/run/fixpoint/1000/agent.sock', token: '/run/fixpoint/1000/token' });
    expect(await agentEndpoint(env, 'darwin', 501)).toEqual({ socket: '/var/run/fixpoint/501/agent.sock', token: '/var/run/fixpoint/501/token' });
  });

  it('takes an explicit socket and secret', async () => {
    expect(await agentEndpoint({ FIXPOINT_TRAY_SOCKET: '/x/agent.sock', FIXPOINT_TRAY_TOKEN_FILE: '/y/token' }, 'linux', 1000)).toEqual({ socket: '/x/agent.sock', token: '/y/token' });
  });
});

describe('the Windows pipe', () => {
  const sid = 'S-1-5-21-3623811015-3361044348-30300820-1104';

  it('connects to the pipe named from the SID and the secret, as the agent names it', () => {
    expect(socketFor({ socket: 'unused', token: 'C:\\token', sid }, 'q1w2e3r4t5y6u7i8o9p0')).toBe(windowsPipeName(sid, 'q1w2e3r4t5y6u7i8o9p0'));
    expect(socketFor({ socket: '/run/fixpoint/1000/agent.sock', token: '/run/fixpoint/1000/token' }, 'x')).toBe('/run/fixpoint/1000/agent.sock');
  });
});
