/** @module Action definitions for tests, valid as written and easy to vary. */
import type { ActionDefinitionInput } from '@fixpoint/protocol';
import { asc, eq } from 'drizzle-orm';
import { auditLog, roles } from '../db/schema';
import type { TestBackend } from './harness';

/** A small valid definition; `overrides` replace top-level fields. */
export function sampleAction(overrides: Partial<ActionDefinitionInput> = {}): ActionDefinitionInput {
  return {
    slug: 'clear-dns-cache',
    name: 'Clear DNS cache',
    description: 'Flushes the resolver cache.',
    purpose: 'remediation',
    scripts: {
      windows: { shell: 'powershell', source: 'Clear-DnsClientCache\nWrite-Output "done"\n' },
      linux: { shell: 'sh', source: '#!/bin/sh\nresolvectl flush-caches\n' },
    },
    parameters: [{ name: 'Reason', type: 'string', description: 'Why', required: false }],
    outputs: [{ name: 'flushed', type: 'bool' }],
    ...overrides,
  };
}

/** Creates a role (once) that runs exactly these action slugs and nothing else; returns its name. */
export async function createRunnerRole(t: TestBackend, name: string, runnableActions: string[]): Promise<string> {
  await t.ctx.db
    .insert(roles)
    .values({ name, permissions: ['actions:run', 'devices:read'], runnableActions, deviceScope: { all: true, tags: [], platforms: [] } })
    .onConflictDoNothing();
  return name;
}

/** Audit entries with this action name, oldest first (route tests may not import the schema). */
export async function auditEntries(t: TestBackend, action: string) {
  return t.ctx.db.select().from(auditLog).where(eq(auditLog.action, action)).orderBy(asc(auditLog.seq));
}
