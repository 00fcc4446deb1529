/**
 * @module
 * Wire contracts shared by the backend, the agent, the tray client and the extension.
 * Zod schemas first; every type is inferred from them. Depends on zod only.
 */
/**
 * The agent channel's version: 2 added envelope proofs (one signature per launch) and the `whenNoUser` and `notBefore`
 * payload fields, 3 the envelope's `origin` (who launched it, for the activity view) and self-service messages. Older
 * agents get envelopes without `origin`.
 */
export const PROTOCOL_VERSION = 3;
/** The oldest agent channel version the server still serves (envelopes signed one by one). */
export const MIN_PROTOCOL_VERSION = 1;
export * from './common';
export * from './canonical';
export * from './limits';
export * from './actions';
export * from './outputs';
export * from './display';
export * from './executions';
export * from './devices';
export * from './hostname';
export * from './identity';
export * from './audit';
export * from './webhooks';
export * from './query';
export * from './agent-releases';
export * from './control-frames';
export * from './agent-channel';
export * from './agent-channel-parse';
export * from './markdown';
export * from './campaigns';
export * from './campaign-walk';
export * from './campaign-render';
export * from './campaign-api';
export * from './tray-ipc';
export * from './self-service';
export * from './help';
export * from './platform';
export * from './schedules';
export * from './detections';
export * from './rollout';
export * from './publisher';
export * from './envelope-proof';
export * from './diff';
export * from './approvals';
export * from './settings';
export { neutralOutcomes, neutralExitCodes, neutralOutcomeOf, type NeutralOutcome } from './campaign-exit';
