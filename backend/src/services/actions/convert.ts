/** @module Converters from action rows to the wire shapes in `@fixpoint/protocol` (dates as ISO strings). */
import type {
  Action,
  ActionDefinition,
  ActionFile,
  ActionVersion,
  ActionVersionSummary,
  ActionWithVersion,
  Platform,
  VersionApproval,
} from '@fixpoint/protocol';
import type { actions, actionVersions } from '../../db/schema';

export type ActionRow = typeof actions.$inferSelect;
export type ActionVersionRow = typeof actionVersions.$inferSelect;

/** The fields of the latest definition that the action listing shows. */
export interface ActionSummaryFields {
  description: string;
  purpose: ActionDefinition['purpose'];
  platforms: Platform[];
}

const platformOrder: readonly Platform[] = ['windows', 'macos', 'linux'];

export function platformsOf(definition: Pick<ActionDefinition, 'scripts'>): Platform[] {
  return platformOrder.filter((p) => definition.scripts[p] !== undefined);
}

export function summaryFieldsOf(definition: ActionDefinition): ActionSummaryFields {
  return { description: definition.description, purpose: definition.purpose, platforms: platformsOf(definition) };
}

export function toAction(row: ActionRow, fields: ActionSummaryFields): Action {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: fields.description,
    purpose: fields.purpose,
    platforms: fields.platforms,
    latestVersion: row.latestVersion,
    archived: row.archived,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toApproval(row: ActionVersionRow): VersionApproval {
  return {
    state: row.approval,
    by: row.approvedBy,
    at: row.approvedAt?.toISOString() ?? null,
    reason: row.rejectionReason,
    publisherSignatures: row.publisherSignatures,
  };
}

export function toActionVersion(row: ActionVersionRow): ActionVersion {
  return {
    ...row.definition,
    id: row.id,
    actionId: row.actionId,
    version: row.version,
    scriptHashes: row.scriptHashes,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    approval: toApproval(row),
  };
}

export function toActionWithVersion(row: ActionRow, version: ActionVersionRow): ActionWithVersion {
  return { ...toAction(row, summaryFieldsOf(version.definition)), current: toActionVersion(version) };
}

export function toVersionSummary(row: ActionVersionRow): ActionVersionSummary {
  return {
    id: row.id,
    actionId: row.actionId,
    version: row.version,
    name: row.definition.name,
    platforms: platformsOf(row.definition),
    scriptHashes: row.scriptHashes,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    approval: toApproval(row),
  };
}

/** The import/export file: `kind` and `apiVersion` first, then the definition with every default spelled out. */
export function toActionFile(definition: ActionDefinition): ActionFile {
  return { kind: 'fixpoint/action', apiVersion: 1, ...definition };
}
