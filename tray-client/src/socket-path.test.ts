import { describe, expect, it } from 'vitest';
import { agentEndpoint } from './socket-path';

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
