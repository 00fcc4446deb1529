/**
 * @module "Get help" on the agent channel: a device's `help_request` is stored (`recordHelpRequest`) and answered with
 * `help_ack`, carrying the new id or the error. Nothing is retried: the tray tells the user and they send again.
 */
import type { AgentHelpRequest, ControlBody } from '@fixpoint/protocol';
import type { AppContext } from '../context';
import { AppError } from '../errors';
import { recordHelpRequest } from '../services/help';

export async function relayHelpRequest(ctx: AppContext, deviceId: string, msg: AgentHelpRequest): Promise<ControlBody> {
  const { type: _type, localId, ...request } = msg;
  try {
    const { id } = await recordHelpRequest(ctx, { deviceId, request });
    return { type: 'help_ack', localId, id };
  } catch (error) {
    if (error instanceof AppError && error.status < 500)
      return { type: 'help_ack', localId, error: { code: error.code, message: error.message.slice(0, 2000) } };
    ctx.log.warn('channel: storing a help request failed', { deviceId, error: String(error) });
    return { type: 'help_ack', localId, error: { code: 'internal', message: 'the server could not store the request; try again later' } };
  }
}
