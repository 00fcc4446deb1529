/** @module The tray's logger; `FIXPOINT_TRAY_LOG_LEVEL` sets the threshold (default info). */
import { createLogger, parseLogLevel } from '@fixpoint/protocol/log';

export const log = createLogger(() => parseLogLevel(process.env.FIXPOINT_TRAY_LOG_LEVEL));
