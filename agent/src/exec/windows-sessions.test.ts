import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeCommand } from './powershell-quote';
import { mergeSessions, parseCimSessions, parseQueryUser, pickConsoleSession, sessionsQuery, windowsSessions, type WindowsSession } from './windows-sessions';

// Outputs as Windows prints them (CRLF, fixed columns), and the JSON of the CIM query.
const fixture = (name: string) => readFileSync(new URL(`./fixtures/windows/${name}`, import.meta.url), 'utf8');
const alice = 'S-1-5-21-3623811015-3361044348-30300820-1104';

describe('parseQueryUser', () => {
  it('reads every session of English `query user` output: the > marker, disconnected sessions, names that fill or overflow their column', () => {
    expect(parseQueryUser(fixture('quser-en.txt'))).toEqual([
      { user: 'alice', station: 'console', sessionId: 1, state: 'active', current: true },
      { user: 'bob', station: '', sessionId: 2, state: 'disconnected', current: false },
      { user: 'carol.longname.2026x', station: 'rdp-tcp#3', sessionId: 3, state: 'active', current: false },
      { user: 'firstname.lastname.extra', station: 'rdp-tcp#12', sessionId: 12, state: 'active', current: false },
      { user: 'dana', station: '', sessionId: 4, state: 'disconnected', current: false },
    ]);
  });

  it('reads localized output by the header’s columns (German: Aktiv, Getr.)', () => {
    expect(parseQueryUser(fixture('quser-de.txt'))).toEqual([
      { user: 'anna', station: 'console', sessionId: 1, state: 'active', current: true },
      { user: 'bernd', station: '', sessionId: 2, state: 'disconnected', current: false },
    ]);
  });

  it('has no sessions when nobody is logged in (empty stdout) or only the header is printed', () => {
    expect(parseQueryUser(fixture('quser-none.txt'))).toEqual([]);
    expect(parseQueryUser(fixture('quser-en.txt').split('\r\n')[0]!)).toEqual([]);
  });
});

describe('parseCimSessions', () => {
  it('names each session once as DOMAIN\\name with its SID and profile, skipping shells without an owner', () => {
    const cim = parseCimSessions(fixture('cim-sessions.json'));
    expect(cim.console).toBe('CONTOSO\\alice');
    expect(cim.sessions.map((s) => [s.name, s.sessionId, s.profile])).toEqual([
      ['CONTOSO\\alice', 1, 'C:\\Users\\alice'],
      ['CONTOSO\\bob', 2, 'C:\\Users\\bob.CONTOSO'],
      ['CONTOSO\\carol.longname.2026x', 3, ''],
      ['CONTOSO\\firstname.lastname.extra', 12, 'C:\\Users\\firstname.lastname.extra'],
      ['DESKTOP-7Q1B2C\\dana', 4, 'C:\\Users\\dana'],
    ]);
    expect(cim.sessions[0]!.sid).toBe(alice);
  });

  it('has nobody for an empty list, and for output that is not the expected JSON', () => {
    expect(parseCimSessions(fixture('cim-none.json'))).toEqual({ console: null, sessions: [] });
    expect(parseCimSessions('Get-CimInstance : Access denied')).toEqual({ console: null, sessions: [] });
    expect(parseCimSessions('{"sessions":"x"}')).toEqual({ console: null, sessions: [] });
  });

  it('takes one session written as an object instead of a one-element array, and null for none', () => {
    const one = '{"console":"PC\\\\Émilie","sessions":{"domain":"PC","user":"Émilie","sid":"S-1-5-21-1-2-3-1001","sessionId":1,"profile":"C:\\\\Users\\\\Émilie"}}';
    expect(parseCimSessions(one)).toEqual({
      console: 'PC\\Émilie',
      sessions: [{ name: 'PC\\Émilie', sid: 'S-1-5-21-1-2-3-1001', sessionId: 1, profile: 'C:\\Users\\Émilie' }],
    });
    expect(parseCimSessions('{"console":null,"sessions":null}')).toEqual({ console: null, sessions: [] });
  });
});

describe('the logged-in user', () => {
  const cim = parseCimSessions(fixture('cim-sessions.json'));

  it('merges the states of `query user` and picks the active console session', () => {
    const merged = mergeSessions(cim, parseQueryUser(fixture('quser-en.txt')));
    expect(merged.map((s) => [s.name, s.state, s.station])).toEqual([
      ['CONTOSO\\alice', 'active', 'console'],
      ['CONTOSO\\bob', 'disconnected', ''],
      ['CONTOSO\\carol.longname.2026x', 'active', 'rdp-tcp#3'],
      ['CONTOSO\\firstname.lastname.extra', 'active', 'rdp-tcp#12'],
      ['DESKTOP-7Q1B2C\\dana', 'disconnected', ''],
    ]);
    expect(pickConsoleSession(merged)).toMatchObject({ name: 'CONTOSO\\alice', sid: alice, sessionId: 1 });
  });

  it('without `query user` (Home editions), takes the CIM console user as the active console session', () => {
    const merged = mergeSessions(cim, null);
    expect(merged.filter((s) => s.state === 'active').map((s) => s.name)).toEqual(['CONTOSO\\alice']);
    expect(pickConsoleSession(merged, cim.console)?.name).toBe('CONTOSO\\alice');
  });

  it('takes a lone active remote session (a VM used over RDP), but nobody among several remote ones', () => {
    const ops: WindowsSession = { name: 'LAB\\ops', sid: 'S-1-5-21-1-2-3-1001', sessionId: 2, state: 'active', station: 'rdp-tcp#1', profile: '' };
    const rows = parseQueryUser(fixture('quser-rdp-only.txt'));
    expect(mergeSessions({ console: null, sessions: [ops] }, rows)[0]).toMatchObject({ state: 'active', station: 'rdp-tcp#1' });
    expect(pickConsoleSession([ops])).toBe(ops);
    expect(pickConsoleSession([ops, { ...ops, name: 'LAB\\dev', sid: 'S-1-5-21-1-2-3-1002', sessionId: 3 }])).toBeNull();
    expect(pickConsoleSession([{ ...ops, state: 'disconnected' }])).toBeNull();
  });

  it('follows FIXPOINT_AGENT_CONSOLE_USER with the SID it is given, and nobody for an empty value or a bad SID', async () => {
    const forced = await windowsSessions({ FIXPOINT_AGENT_CONSOLE_USER: 'VM\\root', FIXPOINT_AGENT_CONSOLE_USER_SID: 'S-1-5-21-0-0-0-1000' });
    expect(forced.console).toMatchObject({ name: 'VM\\root', sid: 'S-1-5-21-0-0-0-1000', state: 'active' });
    expect(forced.sessions).toHaveLength(1);
    expect(await windowsSessions({ FIXPOINT_AGENT_CONSOLE_USER: '' })).toEqual({ sessions: [], console: null });
    expect((await windowsSessions({ FIXPOINT_AGENT_CONSOLE_USER: 'x', FIXPOINT_AGENT_CONSOLE_USER_SID: 'S-1-5; rm' })).console).toBeNull();
  });
});

describe('sessionsQuery', () => {
  // $home, $profile, $input, $pid… are PowerShell's own: assigning them fails ($home is read-only) or misleads.
  const automatic = ['_', 'args', 'error', 'event', 'foreach', 'home', 'host', 'input', 'matches', 'myinvocation', 'pid', 'profile', 'psitem', 'pwd', 'sender', 'this', 'true', 'false', 'null', 'lastexitcode', 'pshome', 'psversiontable', 'switch'];

  it('never assigns a PowerShell automatic variable', () => {
    const assigned = [...sessionsQuery.matchAll(/\$(\w+)(?:\[[^\]]*\])?\s*=(?!=)/g)].map((m) => m[1]!.toLowerCase());
    expect(assigned.length).toBeGreaterThan(2);
    expect(assigned.filter((name) => automatic.includes(name))).toEqual([]);
  });

  it('asks CIM for the owners of explorer.exe and the console user, as JSON', () => {
    expect(sessionsQuery).toContain(`Get-CimInstance Win32_Process -Filter "Name='explorer.exe'"`);
    expect(sessionsQuery).toMatch(/Invoke-CimMethod -InputObject \$_ -MethodName GetOwner\r\n/);
    expect(sessionsQuery).toContain('Win32_ComputerSystem).UserName');
    expect(sessionsQuery).toMatch(/ConvertTo-Json -Compress -Depth 4$/);
  });

  it('goes to PowerShell encoded, so its quotes and line ends reach it as written', () => {
    expect(Buffer.from(encodeCommand(sessionsQuery), 'base64').toString('utf16le')).toBe(sessionsQuery);
    expect(encodeCommand('"a"\r\n')).toBe('IgBhACIADQAKAA==');
  });
});
