/**
 * @module The one logger of the backend, the agent and the tray: one JSON object a line on stderr (journald, launchd
 * and the Windows service wrapper keep it). Callers never pass parameter values, script text or tokens: those can
 * hold secrets.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

type Fields = Record<string, unknown>;
// Node's stderr, declared here because the protocol package builds without Node's types (browsers import it too).
declare const process: { stderr: { write(line: string): unknown } };
export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

/** A level by name, `info` for anything unknown or unset. */
export function parseLogLevel(value: string | undefined): LogLevel {
  return value !== undefined && value in order ? (value as LogLevel) : 'info';
}

/** `level` may be a function, read at each line, so an environment variable set later (tests) still applies. */
export function createLogger(level: LogLevel | (() => LogLevel), write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const threshold = typeof level === 'function' ? () => order[level()] : () => order[level];
  const at = (lvl: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Fields) => {
    if (order[lvl] < threshold()) return;
    write(`${JSON.stringify({ t: new Date().toISOString(), level: lvl, msg, ...fields })}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A short, loggable description of any thrown value. */
export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
