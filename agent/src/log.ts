/**
 * @module Logging to stderr, one JSON object a line (journald and launchd keep it).
 * Callers never pass parameter values or script text: those can hold secrets.
 */
const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof levels, 'silent'>;

const threshold = (): number =>
  levels[(process.env.FIXPOINT_AGENT_LOG_LEVEL ?? 'info') as keyof typeof levels] ?? levels.info;

function write(level: Level, msg: string, fields?: Record<string, unknown>): void {
  if (levels[level] < threshold()) return;
  process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields })}\n`);
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
};

/** A short, loggable description of any thrown value. */
export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
