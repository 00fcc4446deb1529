/** @module The agent's logger; `FIXPOINT_AGENT_LOG_LEVEL` sets the threshold (default info). */
import { createLogger, parseLogLevel } from '@fixpoint/protocol/log';

export { describeError } from '@fixpoint/protocol/log';
export const log = createLogger(() => parseLogLevel(process.env.FIXPOINT_AGENT_LOG_LEVEL));
