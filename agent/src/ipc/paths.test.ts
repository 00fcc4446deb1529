import { statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/helpers';
import { userListenOptions, userSocketPaths } from './paths';
import { sameAccount } from './tray-connection';

const sid = 'S-1-5-21-3623811015-3361044348-30300820-1104';

describe('the Windows tray pipe', () => {
  it('keeps its secret in ProgramData, in a folder per SID', () => {
    const paths = userSocketPaths({ uid: -1, sid }, { ProgramData: 'C:\\ProgramData' }, 'win32');
    expect(paths.token).toMatch(new RegExp(`Fixpoint.tray.${sid}.token$`));
    expect(() => userSocketPaths({ uid: -1 }, {}, 'win32')).toThrow(/SID/);
  });

  it('listens open to every account for reading and writing on Windows, and never so on POSIX', () => {
    expect(userListenOptions('\\\\.\\pipe\\x', 'win32')).toEqual({ path: '\\\\.\\pipe\\x', readableAll: true, writableAll: true });
    expect(userListenOptions('/run/fixpoint/1000/agent.sock', 'linux')).toEqual({ path: '/run/fixpoint/1000/agent.sock' });
  });

  it.skipIf(process.platform === 'win32')('on POSIX the same options would make a socket world-writable, which is why they are Windows-only', async () => {
    const dir = tempDir('fixpoint-listen-');
    const modeAfter = async (options: ReturnType<typeof userListenOptions>) => {
      const server = createServer();
      const previous = process.umask(0o177);
      await new Promise<void>((resolve) => server.listen(options, resolve));
      process.umask(previous);
      const mode = statSync(options.path!).mode & 0o777;
      await new Promise((resolve) => server.close(resolve));
      return mode;
    };
    expect(await modeAfter(userListenOptions(join(dir, 'posix.sock'), 'linux'))).toBe(0o600);
    expect(await modeAfter(userListenOptions(join(dir, 'windows.sock'), 'win32'))).toBe(0o666);
  });

  it('admits a tray that knows only its account name to its DOMAIN\\name pipe, and no other account', () => {
    expect(sameAccount('alice', 'CONTOSO\\alice', 'win32')).toBe(true);
    expect(sameAccount('ALICE', 'contoso\\alice', 'win32')).toBe(true);
    expect(sameAccount('CONTOSO\\alice', 'CONTOSO\\alice', 'win32')).toBe(true);
    expect(sameAccount('bob', 'CONTOSO\\alice', 'win32')).toBe(false);
    expect(sameAccount('OTHER\\alice', 'CONTOSO\\alice', 'win32')).toBe(false);
    expect(sameAccount('alice', 'CONTOSO\\alice', 'linux')).toBe(false);
  });
});
