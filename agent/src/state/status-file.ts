/** @module The connection state `run` keeps in `status.json`, so `status` can show it from another process. */
import { z } from 'zod';
import type { AgentPaths } from '../config';
import { readJsonFile, writeFileAtomic } from './files';

export const ConnectionState = z.enum(['starting', 'connecting', 'authenticating', 'connected', 'disconnected', 'stopped']);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const AgentStatusFile = z.object({
  pid: z.number().int(),
  state: ConnectionState,
  since: z.string(),
  server: z.string(),
  lastError: z.string().nullable(),
  running: z.array(z.string()),
  queued: z.number().int(),
});
export type AgentStatusFile = z.infer<typeof AgentStatusFile>;

/**
 * Not fsynced: `status` reads it to show what the running agent does, which a crash makes stale anyway (it checks the
 * pid), and the agent writes it several times a run.
 */
export function writeStatusFile(paths: AgentPaths, status: AgentStatusFile): void {
  writeFileAtomic(paths.status, `${JSON.stringify(status)}\n`, 0o600, { durable: false });
}

export function readStatusFile(paths: AgentPaths): AgentStatusFile | null {
  try {
    const parsed = AgentStatusFile.safeParse(readJsonFile(paths.status));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
