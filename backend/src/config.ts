import { createPublicKey, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { standardPasswordHashing, type PasswordHashing } from './services/identity/password';
import { parseNetworks } from './services/webhooks/target';

/** Detection cooldowns (at most 30 days) read the rule's runs on the device, so those runs are kept a day longer. */
const minDetectionRetentionDays = 31;

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  FIXPOINT_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().url().optional(),
  /** Seconds start-up keeps retrying a PostgreSQL server that cannot be reached yet; 0 tries once. */
  FIXPOINT_DATABASE_WAIT_SEC: z.coerce.number().int().min(0).max(3600).default(60),
  /** Named (prepared) statements on PostgreSQL; off for a pooler that cannot keep them (pgbouncer in transaction mode before 1.21). */
  FIXPOINT_DATABASE_PREPARE: z.stringbool().default(true),
  FIXPOINT_ADMIN_EMAIL: z.string().email().optional(),
  FIXPOINT_ADMIN_PASSWORD: z.string().min(12).optional(),
  /** Public URL of the backend as agents and browsers reach it; defaults to http://HOST:PORT. */
  FIXPOINT_PUBLIC_URL: z.string().url().optional(),
  FIXPOINT_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Proxies whose X-Forwarded-For names the client: addresses or CIDRs, separated by commas or spaces. */
  FIXPOINT_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((list) => list.split(/[\s,]+/).filter(Boolean))
    .refine((entries) => entries.every(isAddressOrCidr), 'list IP addresses or CIDRs such as 10.0.0.0/8 or fd00::/8'),
  /** The update key's public half (base64 SPKI DER, or PEM): agent releases must be signed by it; agents pin it. */
  FIXPOINT_UPDATE_PUBLIC_KEY: z.string().max(4000).optional(),
  /** Comma-separated CIDRs that webhooks may reach although they are loopback, private or link-local. */
  FIXPOINT_WEBHOOK_ALLOW_NETWORKS: z
    .string()
    .default('')
    .transform((v, c) => {
      const cidrs = v.split(',').map((s) => s.trim()).filter(Boolean);
      try {
        parseNetworks(cidrs);
      } catch (e) {
        c.addIssue({ code: 'custom', message: (e as Error).message });
      }
      return cidrs;
    }),
  /** Launches to more devices than this get a staged rollout by default and must confirm the device count. */
  FIXPOINT_ROLLOUT_THRESHOLD: z.coerce.number().int().min(1).max(1_000_000).default(50),
  /**
   * Four-eyes approval: unapproved action versions run only by hand on at most FIXPOINT_ROLLOUT_THRESHOLD devices.
   * `false` lets every version run everywhere (approval then only signs).
   */
  FIXPOINT_REQUIRE_APPROVAL: z.stringbool().default(true),
  /** Days finished executions (with their outputs) and their requests are kept; 0 keeps them forever. */
  FIXPOINT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(90),
  /** Days finished detection runs are kept; 0 keeps them forever. Cooldowns read up to 30 days of them. */
  /**
   * Admission control: while more executions than this wait in the launch queue (not yet stored), new API launches
   * are answered 503 `overloaded` with Retry-After instead of queueing without bound. 0 turns the check off.
   */
  FIXPOINT_LAUNCH_QUEUE_LIMIT: z.coerce.number().int().min(0).max(10_000_000).default(20_000),
  /** The same for agent reports (results, progress) received and not yet stored, across this instance's connections. */
  FIXPOINT_INGEST_BACKLOG_LIMIT: z.coerce.number().int().min(0).max(10_000_000).default(50_000),
  FIXPOINT_DETECTION_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .max(36_500)
    .refine((days) => days === 0 || days >= minDetectionRetentionDays, `0 (keep forever) or at least ${minDetectionRetentionDays}: cooldowns read 30 days of detection history`)
    .optional(),
});

/** How far behind the backend may fall before API launches are refused (503 `overloaded`); 0 for no limit. */
export interface AdmissionConfig {
  /** Executions waiting in the launch queue. */
  launchQueue: number;
  /** Agent reports received and not yet stored. */
  ingestBacklog: number;
}

/** How long history is kept: days per kind, 0 for forever. */
interface RetentionConfig {
  executionDays: number;
  detectionDays: number;
}

/** The update key as base64 SPKI DER, from that or from a PEM; throws naming the variable when it is not Ed25519. */
function updateKeyDer(value: string): string {
  const pem = value.includes('-----BEGIN');
  let key: KeyObject;
  try {
    key = pem ? createPublicKey(value) : createPublicKey({ key: Buffer.from(value, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new Error('invalid configuration:\n  FIXPOINT_UPDATE_PUBLIC_KEY: not a public key (base64 SPKI DER or PEM)');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('invalid configuration:\n  FIXPOINT_UPDATE_PUBLIC_KEY: not an Ed25519 key');
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** `192.0.2.1`, `2001:db8::1`, `10.0.0.0/8` or `fd00::/8`. */
export function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Seconds to keep retrying an unreachable PostgreSQL at start (DATABASE_URL only). */
  databaseWaitSec: number;
  /** Run statements named (one round trip each) on PostgreSQL; false for poolers that cannot keep them. */
  databasePrepare: boolean;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  publicUrl: string | undefined;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Addresses and CIDRs of reverse proxies trusted to report the client address; empty trusts none. */
  trustedProxies: string[];
  /** Networks webhooks may reach although they are refused by default (loopback, private, link-local…). */
  webhookAllowNetworks: string[];
  /** Launches to more devices than this get a staged rollout by default and must confirm the device count. */
  rolloutThreshold: number;
  /** Whether unapproved action versions are kept out of automation and big launches. */
  requireApproval: boolean;
  /** How long finished executions, their requests and detection runs are kept before the background prune. */
  retention: RetentionConfig;
  /** Admission control on API launches: the depths past which they are refused with 503 (0: no limit). */
  admission: AdmissionConfig;
  /** Base64 SPKI DER of the update key, or undefined when releases cannot be uploaded (see agent-releases). */
  updatePublicKey: string | undefined;
  /**
   * Cost of new password hashes. Always the standard cost from the environment: no variable lowers it. Only tests,
   * which build their configuration in code, choose a cheaper one (`testing/harness.ts`).
   */
  passwordHashing: PasswordHashing;
}

/** Reads the configuration contract from the environment; throws a readable error naming the bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.FIXPOINT_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databaseWaitSec: e.FIXPOINT_DATABASE_WAIT_SEC,
    databasePrepare: e.FIXPOINT_DATABASE_PREPARE,
    adminEmail: e.FIXPOINT_ADMIN_EMAIL,
    adminPassword: e.FIXPOINT_ADMIN_PASSWORD,
    publicUrl: e.FIXPOINT_PUBLIC_URL,
    logLevel: e.FIXPOINT_LOG_LEVEL,
    trustedProxies: e.FIXPOINT_TRUSTED_PROXIES,
    webhookAllowNetworks: e.FIXPOINT_WEBHOOK_ALLOW_NETWORKS,
    rolloutThreshold: e.FIXPOINT_ROLLOUT_THRESHOLD,
    requireApproval: e.FIXPOINT_REQUIRE_APPROVAL,
    retention: {
      executionDays: e.FIXPOINT_RETENTION_DAYS,
      // follows the execution retention unless set, but never below what cooldowns read
      detectionDays:
        e.FIXPOINT_DETECTION_RETENTION_DAYS ??
        (e.FIXPOINT_RETENTION_DAYS === 0 ? 0 : Math.max(e.FIXPOINT_RETENTION_DAYS, minDetectionRetentionDays)),
    },
    admission: { launchQueue: e.FIXPOINT_LAUNCH_QUEUE_LIMIT, ingestBacklog: e.FIXPOINT_INGEST_BACKLOG_LIMIT },
    updatePublicKey: e.FIXPOINT_UPDATE_PUBLIC_KEY ? updateKeyDer(e.FIXPOINT_UPDATE_PUBLIC_KEY) : undefined,
    passwordHashing: standardPasswordHashing,
  };
}
