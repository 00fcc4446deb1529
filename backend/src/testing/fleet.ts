/**
 * @module Test fixtures for devices and executions: actions written straight to the tables, devices in bulk,
 * roles with a device scope and a list of runnable actions.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { ActionDefinition, type ActionDefinitionInput, type DeviceScope, type Permission, type Platform } from '@fixpoint/protocol';
import type { AppContext } from '../context';
import { actions, actionVersions, devices, roles } from '../db/schema';
import { invalidatePrincipals } from '../services/identity/principal';

/** A fresh agent key pair; `publicKey` is base64 SPKI DER as EnrollRequest expects. */
export function agentKeyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), privateKey };
}

const sharedKey = agentKeyPair().publicKey;

export const sampleAction = (overrides: Partial<ActionDefinitionInput> = {}): ActionDefinitionInput => ({
  slug: 'restart-spooler',
  name: 'Restart the print spooler',
  purpose: 'remediation',
  scripts: {
    windows: { source: 'Restart-Service Spooler -Force\n' },
    linux: { source: 'systemctl restart cups\n' },
  },
  parameters: [
    { name: 'Reason', type: 'string', required: true },
    { name: 'Retries', type: 'int', default: 3 },
    { name: 'Password', type: 'string', secret: true },
  ],
  outputs: [
    { name: 'restarted', type: 'bool' },
    { name: 'free_bytes', type: 'size' },
  ],
  ...overrides,
});

/** Writes an action with one version (or more, when `versions` is given) directly to the tables. */
export async function seedAction(
  ctx: AppContext,
  input: ActionDefinitionInput = sampleAction(),
  options: { archived?: boolean; versions?: ActionDefinitionInput[] } = {},
) {
  const definitions = [input, ...(options.versions ?? [])].map((d) => ActionDefinition.parse(d));
  const first = definitions[0]!;
  const [action] = await ctx.db
    .insert(actions)
    .values({ slug: first.slug, name: first.name, latestVersion: definitions.length, archived: options.archived ?? false })
    .returning();
  const versions = [];
  for (const [i, definition] of definitions.entries()) {
    const scriptHashes = Object.fromEntries(
      Object.entries(definition.scripts).map(([p, s]) => [p, createHash('sha256').update(s!.source).digest('hex')]),
    );
    const [version] = await ctx.db
      .insert(actionVersions)
      .values({ actionId: action!.id, version: i + 1, definition, scriptHashes, createdBy: 'user:test' })
      .returning();
    versions.push(version!);
  }
  return { action: action!, version: versions[versions.length - 1]!, versions };
}

/** Inserts `count` devices in batches; returns their ids in insertion order. */
export async function seedDevices(
  ctx: AppContext,
  count: number,
  options: { platform?: Platform; tags?: string[]; namePrefix?: string; online?: boolean } = {},
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({
      name: `${options.namePrefix ?? 'pc'}-${String(i + j).padStart(5, '0')}`,
      platform: options.platform ?? ('windows' as const),
      osVersion: '10.0',
      agentVersion: '0.1.0',
      publicKey: sharedKey,
      tags: options.tags ?? [],
      online: options.online ?? false,
    }));
    const inserted = await ctx.db.insert(devices).values(rows).returning({ id: devices.id });
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

/** Creates a custom role, to be used with `TestBackend.as(name)`. */
export async function seedRole(
  ctx: AppContext,
  name: string,
  options: { permissions?: Permission[]; runnableActions?: string[]; deviceScope?: Partial<DeviceScope>; editImpliesRun?: boolean } = {},
): Promise<void> {
  await ctx.db.insert(roles).values({
    name,
    editImpliesRun: options.editImpliesRun ?? false,
    permissions: options.permissions ?? ['actions:run', 'devices:read'],
    runnableActions: options.runnableActions ?? ['*'],
    deviceScope: { all: false, tags: [], platforms: [], ...options.deviceScope },
  });
  invalidatePrincipals();
}
