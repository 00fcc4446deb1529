/**
 * @module What each agent channel version can read. Version 1 agents parse envelopes with a strict schema that
 * predates `whenNoUser` and `notBefore`: an envelope carrying either is refused by them as malformed, so the server
 * finishes such an execution itself with a reason that says what to do.
 */
import type { Envelope } from '@fixpoint/protocol';

/** The error an execution ends with when its envelope needs a newer agent; starts with its code. */
export const agentTooOldCode = 'agent_too_old';

/** Payload fields a version-1 agent cannot read, present in this envelope; empty when it can be sent as is. */
export function fieldsTooNewForVersion1(envelope: Envelope): string[] {
  const payload = envelope.payload;
  return [payload.whenNoUser !== undefined && 'whenNoUser', payload.notBefore !== undefined && 'notBefore'].filter((f): f is string => !!f);
}

export function agentTooOldError(protocolVersion: number, fields: readonly string[]): string {
  return `${agentTooOldCode}: this agent speaks channel protocol ${protocolVersion}; ${fields.join(' and ')} need${fields.length > 1 ? '' : 's'} version 2 or later — update the agent`;
}
