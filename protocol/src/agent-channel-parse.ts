/**
 * @module Parsing the agent channel's frames, on either side: size, JSON, then the schema of the frame's type.
 */
import type { z } from 'zod';
import {
  ChannelError,
  AgentMessage,
  ServerMessage,
  ServerChallenge,
  ServerWelcome,
  ServerExecute,
  ServerAck,
  ServerCancel,
  ServerCampaigns,
  ServerCampaignStarted,
  ServerCampaignFailed,
  ServerCampaignAck,
  ServerCampaignState,
  ServerUpdate,
  ServerSelfServiceReply,
  ServerHelpAck,
  CHANNEL_MAX_MESSAGE_BYTES,
} from './agent-channel';
import { decodeMessage } from './wire';

/**
 * A parsed frame. `json` is the frame exactly as decoded, before schema defaults: signatures are checked over it,
 * so a field the schema would fill in cannot change the signed bytes.
 */
export type ParsedFrame<T> = { ok: true; message: T; json: unknown } | { ok: false; error: ChannelError };

function parseFrame<T>(schema: z.ZodType<T> | ((json: unknown) => z.ZodType<T>), frame: string): ParsedFrame<T> {
  const decoded = decodeMessage(schema, frame, CHANNEL_MAX_MESSAGE_BYTES);
  return decoded.ok ? decoded : { ok: false, error: { type: 'error', code: decoded.code, message: decoded.message } };
}

/** Parses one frame the server received. Never throws; errors are ready to send back. */
export function parseAgentMessage(frame: string): ParsedFrame<AgentMessage> {
  return parseFrame(AgentMessage, frame);
}

/** Parses one frame the agent received. Never throws; errors are ready to send back. */
export function parseServerMessage(frame: string): ParsedFrame<ServerMessage> {
  return parseFrame(serverMessageSchema, frame);
}

/**
 * The member of {@link ServerMessage} a frame's `type` names, or the whole union (whose error then says what is
 * wrong). The same verdicts as the union's, but in the device bundles, where schemas are built on first use, an agent
 * builds only the members it receives: the idle agent never builds a campaign or an envelope schema.
 */
function serverMessageSchema(json: unknown): z.ZodType<ServerMessage> {
  const type = typeof json === 'object' && json !== null ? (json as { type?: unknown }).type : undefined;
  return (typeof type === 'string' && Object.hasOwn(serverMessageMembers, type) ? serverMessageMembers[type as ServerMessage['type']] : undefined) ?? ServerMessage;
}

const serverMessageMembers: Record<ServerMessage['type'], z.ZodType<ServerMessage>> = {
  challenge: ServerChallenge,
  welcome: ServerWelcome,
  execute: ServerExecute,
  ack: ServerAck,
  cancel: ServerCancel,
  campaigns: ServerCampaigns,
  campaign_started: ServerCampaignStarted,
  campaign_failed: ServerCampaignFailed,
  campaign_ack: ServerCampaignAck,
  campaign_state: ServerCampaignState,
  update: ServerUpdate,
  self_service_reply: ServerSelfServiceReply,
  help_ack: ServerHelpAck,
  error: ChannelError,
};
