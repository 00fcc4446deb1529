/** @module Row → wire converters for detection rules. */
import type { ActionDefinition, DetectionRule } from '@fixpoint/protocol';
import { maskSecrets, ownerOf } from '../automation';
import type { RuleRow } from './snapshot';

/** `savedQueryName`: the name of the saved query the row names, looked up by the caller. */
export function toDetectionRule(row: RuleRow, action: { slug: string; definition: ActionDefinition | undefined }, savedQueryName = ''): DetectionRule {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    condition: row.condition,
    savedQuery: row.savedQueryId ? { id: row.savedQueryId, name: savedQueryName } : null,
    actionId: row.actionId,
    actionSlug: action.slug,
    runAs: action.definition?.runAs ?? 'system',
    selfHelp: row.selfHelp || action.definition?.runAs === 'user',
    parameters: maskSecrets(row.parameters, action.definition),
    enabled: row.enabled,
    guards: row.guards,
    pausedByBreaker: row.pausedByBreaker,
    pausedForOwner: row.pausedForOwner,
    pausedReason: row.pausedReason,
    pausedAt: row.pausedAt?.toISOString() ?? null,
    rolloutStage: row.canaryPassedAt !== null || row.guards.canaryPercent <= 0 ? 'full' : 'canary',
    owner: ownerOf(row)?.label ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
