/**
 * @module Who is logged in on Windows: every interactive session, from two sources merged by session id.
 *
 * - One PowerShell CIM query (`sessionsQuery`): the owners of `explorer.exe` (one shell per interactive session) with
 *   their `DOMAIN\name`, SID, session id and profile directory, and `Win32_ComputerSystem.UserName`, the user at the
 *   physical console.
 * - `query user` (quser.exe): each session's state (Active, Disc) and name (`console`, `rdp-tcp#N`). It is missing
 *   on Home editions; then the CIM console user stands in for the active console session.
 *
 * Parsers are pure and tested on recorded outputs (`fixtures/windows/`).
 */
import { execFile } from 'node:child_process';
import { isWindowsSid } from '@fixpoint/protocol';
import { z } from 'zod';
import { encodeCommand, quotePowerShell } from './powershell-quote';

export interface WindowsSession {
  /** `DOMAIN\name`. */
  name: string;
  sid: string;
  sessionId: number;
  /** From `query user`; `unknown` where it is missing. */
  state: 'active' | 'disconnected' | 'unknown';
  /** `console`, `rdp-tcp#3`, … (empty for a disconnected session), or null where `query user` is missing. */
  station: string | null;
  /** The profile directory (`C:\Users\name`), or '' when unknown. */
  profile: string;
}

/** One line of `query user`. */
export interface QuserRow {
  user: string;
  station: string;
  sessionId: number;
  state: 'active' | 'disconnected';
  /** The `>` marker: the session `query user` ran in. */
  current: boolean;
}

// "Active" in English; Aktiv, Actif, Activo, Attivo, Ativo elsewhere. Anything else (Disc, Getr., Déco) is not active.
const activeState = /^(activ|aktiv|actif|attivo|ativo)/i;
// The session names Windows gives: console, services, rdp-tcp#3, ica-cgp#1.
const stationName = /^(console|services|[a-z0-9-]+#\d+)$/i;

/**
 * Parses `query user` output, in any language: the header names the columns, and the second column (the session
 * name) starts where the header's second word does. The id, state, idle time and logon time are read from the right
 * of the user and session names, so user names with spaces still parse.
 */
export function parseQueryUser(text: string): QuserRow[] {
  const lines = text.replace(/\r/g, '').split('\n').filter((l) => l.trim());
  const header = lines.shift();
  if (!header) return [];
  const stationColumn = /^\s*\S+\s+/.exec(header)?.[0].length ?? -1;
  const rows: QuserRow[] = [];
  for (const line of lines) {
    const m = /^(.)(.*?)\s+(\d+)\s+(\S+)\s+\S+\s+\S.*$/.exec(line);
    if (!m) continue;
    const names = m[2]!;
    // Columns line up with the header unless a name fills its column; then the station is the last word, if any.
    const cut = stationColumn - 1;
    const aligned = cut > 0 && names.length > cut && names[cut - 1] === ' ';
    const last = aligned ? null : /^(.*\S)\s+(\S+)$/.exec(names);
    const overflow = last && stationName.test(last[2]!) ? last : null;
    const user = (aligned ? names.slice(0, cut) : (overflow?.[1] ?? names)).trim();
    const station = aligned ? names.slice(cut).trim() : (overflow?.[2] ?? '');
    if (!user) continue;
    rows.push({ user, station, sessionId: Number(m[3]), state: activeState.test(m[4]!) ? 'active' : 'disconnected', current: m[1] === '>' });
  }
  return rows;
}

const cimSession = z.object({
  domain: z.string().nullish(),
  user: z.string().min(1),
  sid: z.string().refine(isWindowsSid, 'not a SID'),
  sessionId: z.number().int().nonnegative(),
  profile: z.string().nullish(),
});
// Windows PowerShell 5.1 may write a one-element array as the element itself, and an empty one as null.
const cimOutput = z.object({
  console: z.string().nullish(),
  sessions: z
    .union([z.array(z.unknown()), z.record(z.string(), z.unknown()), z.null()])
    .optional()
    .transform((v) => (Array.isArray(v) ? v : v ? [v] : [])),
});

export interface CimSessions {
  /** `Win32_ComputerSystem.UserName`: the user at the physical console, or null. */
  console: string | null;
  sessions: Omit<WindowsSession, 'state' | 'station'>[];
}

/** Parses the JSON of {@link sessionsQuery}; entries that do not fit are skipped, a session's second shell too. */
export function parseCimSessions(text: string): CimSessions {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { console: null, sessions: [] };
  }
  const parsed = cimOutput.safeParse(raw);
  if (!parsed.success) return { console: null, sessions: [] };
  const sessions: CimSessions['sessions'] = [];
  for (const entry of parsed.data.sessions) {
    const s = cimSession.safeParse(entry);
    if (!s.success || sessions.some((x) => x.sessionId === s.data.sessionId)) continue;
    const name = s.data.domain ? `${s.data.domain}\\${s.data.user}` : s.data.user;
    sessions.push({ name, sid: s.data.sid, sessionId: s.data.sessionId, profile: s.data.profile ?? '' });
  }
  return { console: parsed.data.console || null, sessions };
}

/**
 * The PowerShell behind {@link parseCimSessions}. Its variables avoid PowerShell's automatic ones ($home, $profile,
 * $input, $pid, …): assigning those fails or misleads.
 */
export const sessionsQuery = [
  // UTF-8 out, so that names beyond ASCII survive (the console's OEM code page would mangle them)
  '[Console]::OutputEncoding = [Text.Encoding]::UTF8',
  '$ErrorActionPreference = "SilentlyContinue"',
  '$profiles = @{}',
  'Get-CimInstance Win32_UserProfile | ForEach-Object { $profiles[$_.SID] = $_.LocalPath }',
  '$found = @(Get-CimInstance Win32_Process -Filter "Name=\'explorer.exe\'" | ForEach-Object {',
  '  $owner = Invoke-CimMethod -InputObject $_ -MethodName GetOwner',
  '  $ownerSid = (Invoke-CimMethod -InputObject $_ -MethodName GetOwnerSid).Sid',
  '  if ($owner.User -and $ownerSid) { @{ domain = $owner.Domain; user = $owner.User; sid = $ownerSid; sessionId = [int]$_.SessionId; profile = $profiles[$ownerSid] } }',
  '})',
  '@{ console = (Get-CimInstance Win32_ComputerSystem).UserName; sessions = $found } | ConvertTo-Json -Compress -Depth 4',
].join('\r\n');

/** Joins the two sources: CIM names the sessions, `query user` (when it ran) says which are active. */
export function mergeSessions(cim: CimSessions, quser: QuserRow[] | null): WindowsSession[] {
  return cim.sessions.map((s) => {
    if (quser === null) {
      const atConsole = !!cim.console && cim.console.toLowerCase() === s.name.toLowerCase();
      return { ...s, state: atConsole ? 'active' : 'unknown', station: null };
    }
    const row = quser.find((r) => r.sessionId === s.sessionId);
    return { ...s, state: row?.state ?? 'unknown', station: row?.station ?? '' };
  });
}

/**
 * The user a "run as the logged-in user" goes to: the active session at the console, else the one active session
 * (a VM used over RDP), else nobody; a machine shared by several remote users has no single "logged-in user".
 */
export function pickConsoleSession(sessions: WindowsSession[], consoleUser: string | null = null): WindowsSession | null {
  const active = sessions.filter((s) => s.state === 'active');
  return (
    active.find((s) => s.station?.toLowerCase() === 'console') ??
    active.find((s) => s.station === null && consoleUser?.toLowerCase() === s.name.toLowerCase()) ??
    (active.length === 1 ? active[0]! : null)
  );
}

/** 64-bit System32 (Sysnative from a 32-bit process, which WOW64 would otherwise redirect). */
export function system32(env: NodeJS.ProcessEnv = process.env, arch: string = process.arch): string {
  const root = env.SystemRoot ?? 'C:\\Windows';
  return `${root}\\${arch === 'ia32' && env.PROCESSOR_ARCHITEW6432 ? 'Sysnative' : 'System32'}`;
}

/** stdout of a command even when it exits non-zero (`query user` exits 1 when nobody is logged in); null when missing. */
function output(command: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) =>
    execFile(command, args, { windowsHide: true, timeout: 15_000, maxBuffer: 1024 * 1024 }, (err, stdout) =>
      resolve(err && !stdout ? null : String(stdout)),
    ),
  );
}

/** Every interactive session on this machine, with its state. */
async function listWindowsSessions(env: NodeJS.ProcessEnv = process.env): Promise<{ sessions: WindowsSession[]; console: string | null }> {
  const dir = system32(env);
  const [cimText, quserText] = await Promise.all([
    output(`${dir}\\WindowsPowerShell\\v1.0\\powershell.exe`, ['-NoProfile', '-NonInteractive', '-EncodedCommand', encodeCommand(sessionsQuery)]),
    output(`${dir}\\quser.exe`, []),
  ]);
  const cim = parseCimSessions(cimText ?? '');
  return { sessions: mergeSessions(cim, quserText === null ? null : parseQueryUser(quserText)), console: cim.console };
}

/** The PowerShell that prints the SID of the account `name`. */
export const sidQuery = (name: string) =>
  `(New-Object System.Security.Principal.NTAccount(${quotePowerShell(name)})).Translate([System.Security.Principal.SecurityIdentifier]).Value`;

/** The SID of a Windows account, through PowerShell (no native binding needed); null when it cannot be resolved. */
export async function windowsSid(name: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const out = await output(`${system32(env)}\\WindowsPowerShell\\v1.0\\powershell.exe`, ['-NoProfile', '-NonInteractive', '-Command', sidQuery(name)]);
  const sid = out?.trim() ?? '';
  return isWindowsSid(sid) ? sid : null;
}

/**
 * The interactive sessions and the console user's session. `FIXPOINT_AGENT_CONSOLE_USER` (tests, kiosks) replaces
 * them with one active console session of that account (an empty value: nobody); its SID is looked up, or taken from
 * `FIXPOINT_AGENT_CONSOLE_USER_SID` where no lookup exists (Wine has neither PowerShell nor `query user`).
 */
export async function windowsSessions(env: NodeJS.ProcessEnv = process.env): Promise<{ sessions: WindowsSession[]; console: WindowsSession | null }> {
  const forced = env.FIXPOINT_AGENT_CONSOLE_USER;
  if (forced !== undefined) {
    const sid = forced ? (env.FIXPOINT_AGENT_CONSOLE_USER_SID || (await windowsSid(forced, env))) : null;
    if (!sid || !isWindowsSid(sid)) return { sessions: [], console: null };
    const session: WindowsSession = { name: forced, sid, sessionId: 1, state: 'active', station: 'console', profile: '' };
    return { sessions: [session], console: session };
  }
  const found = await listWindowsSessions(env);
  return { sessions: found.sessions, console: pickConsoleSession(found.sessions, found.console) };
}
