/** @module Logging to stderr, one JSON object a line; `FIXPOINT_TRAY_LOG_LEVEL` sets the threshold (default info). */
const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof levels, 'silent'>;

function write(level: Level, msg: string, fields?: Record<string, unknown>): void {
  const threshold = levels[(process.env.FIXPOINT_TRAY_LOG_LEVEL ?? 'info') as keyof typeof levels] ?? levels.info;
  if (levels[level] < threshold) return;
  process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields })}\n`);
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
};
