/**
 * @module The local policy in `config.json` in the state dir, owned by the device's administrator.
 * It is what makes a compromised server harmless: with `requirePublisherSignature`, only scripts signed
 * by a pinned publisher key run.
 */
import { z } from 'zod';
import type { KeyObject } from 'node:crypto';
import type { AgentPaths } from '../config';
import { readJsonFile } from './files';
import { publicKeyFromDer } from './identity';

export const AgentConfigFile = z.strictObject({
  requirePublisherSignature: z.boolean().default(false),
  /** Base64 SPKI DER Ed25519 keys whose signatures over the script bytes are accepted. */
  publisherKeys: z.array(z.string().min(40).max(200)).max(50).default([]),
  /** Executions running at once. */
  maxConcurrency: z.number().int().min(1).max(32).default(2),
  /** How long a new agent binary has to reconnect before the previous one comes back (default 5 minutes). */
  updateReconnectSec: z.number().int().min(5).max(86_400).default(300),
});
export type AgentConfigFile = z.infer<typeof AgentConfigFile>;

export interface AgentConfig {
  requirePublisherSignature: boolean;
  publisherKeys: KeyObject[];
  maxConcurrency: number;
  /** Default 300 (see `AgentConfigFile`). */
  updateReconnectSec?: number;
}

/**
 * Reads the policy; the defaults apply when there is no file. A file that does not parse is an error
 * (never silently weaker than what the administrator wrote).
 */
export function loadAgentConfig(paths: AgentPaths): AgentConfig {
  const raw = readJsonFile(paths.config);
  const parsed = AgentConfigFile.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${paths.config}: ${issue?.path.join('.') || 'file'}: ${issue?.message}`);
  }
  const { requirePublisherSignature, publisherKeys, maxConcurrency, updateReconnectSec } = parsed.data;
  if (requirePublisherSignature && publisherKeys.length === 0)
    throw new Error(`${paths.config}: requirePublisherSignature needs at least one publisher key`);
  return { requirePublisherSignature, publisherKeys: publisherKeys.map(publicKeyFromDer), maxConcurrency, updateReconnectSec };
}
