/** @module `fixpoint-agent status`: enrollment, connection state and the last executions, from the state dir. */
import type { AgentPaths } from '../config';
import { isProcessAlive } from '../exec/posix-process';
import { loadIdentity } from '../state/identity';
import { Journal } from '../state/journal';
import { readStatusFile } from '../state/status-file';
import { existsSync } from 'node:fs';

export interface StatusReport {
  enrolled: boolean;
  deviceId: string | null;
  server: string | null;
  running: boolean;
  connection: string;
  since: string | null;
  lastError: string | null;
  executions: { id: string; action: string; startedAt: string; status: string; acked: boolean }[];
}

/** Gathers the status without touching the running agent (reads its status file and journal). */
export function readAgentStatus(paths: AgentPaths, limit = 10): StatusReport {
  const identity = loadIdentity(paths);
  const status = readStatusFile(paths);
  const alive = status !== null && status.state !== 'stopped' && isProcessAlive(status.pid);
  let executions: StatusReport['executions'] = [];
  if (existsSync(paths.journal)) {
    const journal = Journal.open(paths.journal, { readOnly: true });
    executions = journal.recent(limit).map((e) => ({
      id: e.id,
      action: e.action,
      startedAt: e.startedAt,
      status: e.refused ? 'refused' : e.result?.status ?? (alive ? 'running' : 'interrupted'),
      // A refusal has nothing to acknowledge.
      acked: e.acked || !!e.refused,
    }));
    journal.close();
  }
  return {
    enrolled: identity !== null,
    deviceId: identity?.deviceId ?? null,
    server: identity?.server ?? null,
    running: alive,
    connection: alive ? status!.state : 'not running',
    since: alive ? status!.since : null,
    lastError: status?.lastError ?? null,
    executions,
  };
}

export function formatStatus(r: StatusReport): string {
  const lines = [
    r.enrolled ? `device:     ${r.deviceId}\nserver:     ${r.server}` : 'device:     not enrolled (run: fixpoint-agent enroll --server URL --token T)',
    `agent:      ${r.connection}${r.since ? ` since ${r.since}` : ''}`,
  ];
  if (r.lastError) lines.push(`last error: ${r.lastError}`);
  lines.push('', r.executions.length ? 'recent executions:' : 'no executions yet');
  for (const e of r.executions) lines.push(`  ${e.startedAt}  ${e.status.padEnd(11)} ${e.action}  ${e.id}${e.acked ? '' : '  (not yet acknowledged)'}`);
  return lines.join('\n');
}
