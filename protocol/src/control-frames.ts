/**
 * @module Signed control frames. Every server → agent frame that makes the agent act carries the server's Ed25519
 * signature, like execution envelopes do (those sign their payload instead). The signature covers the frame's
 * canonical JSON without its `signature` field, and the frame names who it is for and for how long:
 *
 * ```
 * {"type":"cancel","executionId":"…",
 *  "binding":{"deviceId":"…","connection":"<the connection's challenge nonce>","seq":7,"expiresAt":"…"},
 *  "keyId":"…","signature":"<base64>"}
 * ```
 * `connection` ties the frame to the one WebSocket it was signed for, and `seq` grows with every control frame on it,
 * so a copy replayed on the same or on another connection is refused without the agent keeping a list of ids.
 */
import { z } from 'zod';
import { Id, Timestamp } from './common';
import { canonicalJson } from './canonical';

/** Standard base64 (signatures, keys). */
export const Base64 = z.string().max(1024).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');
/** A fresh random value per connection; at least 128 bits, URL-safe characters only. */
export const Nonce = z.string().min(22).max(128).regex(/^[A-Za-z0-9_-]+$/, 'base64url');

/** How long a control frame stays valid after it was signed. It is sent at once; this only bounds a held-back copy. */
export const controlFrameTtlMs = 10 * 60_000;

/** Whom a control frame is for, on which connection, in which order, until when. */
export const ControlBinding = z.strictObject({
  deviceId: Id,
  /** The challenge nonce of the connection the frame was signed for. */
  connection: Nonce,
  /** Starts at 1 on each connection and grows with every control frame; the agent refuses one not above the last. */
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  expiresAt: Timestamp,
});
export type ControlBinding = z.infer<typeof ControlBinding>;

/** The fields every control frame adds to its body (spread into each frame's schema). */
export const controlSeal = {
  binding: ControlBinding,
  /** Which server key signed (its id, as pinned at enrollment). */
  keyId: z.string().min(1).max(64),
  /** Base64 Ed25519 signature over {@link controlSigningText}. */
  signature: Base64,
};

/** The frame types the agent acts on only when signed (`execute` is signed through its envelope). */
export const controlFrameTypes = ['ack', 'cancel', 'campaigns', 'campaign_started', 'campaign_failed', 'campaign_ack', 'campaign_state', 'update', 'self_service_reply', 'help_ack'] as const;
export type ControlFrameType = (typeof controlFrameTypes)[number];

/** True for the types listed in {@link controlFrameTypes}. */
export function isControlFrameType(type: string): type is ControlFrameType {
  return (controlFrameTypes as readonly string[]).includes(type);
}

/** What a control frame's signature covers: the frame as sent, without its `signature`. */
export function controlSignedPart(frame: object): Record<string, unknown> {
  const { signature: _signature, ...rest } = frame as Record<string, unknown>;
  return rest;
}

/** The exact text a control frame's signature covers. */
export function controlSigningText(frame: object): string {
  return canonicalJson(controlSignedPart(frame));
}
