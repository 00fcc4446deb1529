/**
 * @module Self-service on the agent channel: a tray's `list` gets the fixes the device offers, a `run` launches one
 * as the tray's user (`services/self-service`). Refusals the user can act on (a cooldown, the daily limit, a fix
 * that is gone) go back in the reply; a failure of the backend itself answers `internal`, and the tray says so.
 */
import type { AgentSelfService, ControlBody } from '@fixpoint/protocol';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { listSelfServiceFixes, runSelfService } from '../services/self-service';

export async function answerSelfService(ctx: AppContext, deviceId: string, msg: AgentSelfService): Promise<ControlBody> {
  const reply = { type: 'self_service_reply' as const, localId: msg.localId };
  try {
    if (msg.op === 'list') return { ...reply, fixes: await listSelfServiceFixes(ctx, { deviceId }) };
    if (!msg.action) return { ...reply, error: { code: 'bad_request', message: 'name the fix to run' } };
    const { executionId } = await runSelfService(ctx, { deviceId, action: msg.action, user: msg.user });
    ctx.log.info('channel: self-service run', { deviceId, action: msg.action, user: msg.user, executionId });
    return { ...reply, executionId };
  } catch (error) {
    if (error instanceof AppError && error.status < 500) {
      const retry = (error.details as { retryAfterSec?: unknown } | undefined)?.retryAfterSec;
      return { ...reply, error: { code: error.code, message: error.message.slice(0, 2000), ...(typeof retry === 'number' ? { retryAfterSec: retry } : {}) } };
    }
    ctx.log.error('channel: self-service failed', { deviceId, op: msg.op, error: String(error) });
    return { ...reply, error: { code: 'internal', message: 'the server could not do this now; try again later' } };
  }
}
