/**
 * @module Owners: automation (schedules, detection rules, campaign schedules) acts with the rights of the user or
 * API client that last saved it, resolved afresh at each firing. Saving needs the right the firing will use, and a
 * firing whose owner no longer has it does not launch: the caller pauses the automation with the reason given here.
 */
import type { AppContext } from '../../context';
import type { OwnerKind } from '../../db/schema';
import { forbidden } from '../../errors';
import { can, canRunAction, type Principal } from '../identity/rights';
import { principalOf } from '../identity';

export interface Owner {
  kind: OwnerKind;
  id: string;
  /** The owner's label when it saved, e.g. `user:ana@example.com`. */
  label: string;
}

/** What a firing needs of its owner: null when allowed, otherwise why not (shown as the pause reason). */
export type OwnerRight = (principal: Principal) => string | null;

/** The owner may run this action: `actions:run` and the action among its roles' runnable actions. */
export const mayRun =
  (slug: string): OwnerRight =>
  (p) =>
    canRunAction(p, slug) ? null : `${p.label} may not run action ${slug} (that needs actions:run and the action in a role's runnable actions)`;

/** The owner may trigger campaigns. */
export const mayTriggerCampaigns: OwnerRight = (p) => (can(p, 'campaigns:trigger') ? null : `${p.label} may not trigger campaigns (that needs campaigns:trigger)`);

/** The owner columns of a row, or null when it has none (saved before owners existed). */
export function ownerOf(row: { ownerKind: OwnerKind | null; ownerId: string | null; ownerLabel: string | null }): Owner | null {
  return row.ownerKind && row.ownerId ? { kind: row.ownerKind, id: row.ownerId, label: row.ownerLabel ?? `${row.ownerKind}:${row.ownerId}` } : null;
}

/**
 * The owner columns to store for a principal saving automation; throws 403 when it lacks the right the firing
 * will use, since automation never does more than its owner may.
 */
export function ownerFor(principal: Principal, right: OwnerRight, what: string): { ownerKind: OwnerKind; ownerId: string; ownerLabel: string } {
  const problem = right(principal);
  if (problem) throw forbidden(`a ${what} runs with the rights of whoever saves it, and ${problem.replace(principal.label, 'you')}`);
  // a device's user runs self-service fixes and nothing else
  if (principal.kind === 'device_user') throw forbidden(`a device user cannot save a ${what}`);
  return { ownerKind: principal.kind, ownerId: principal.id, ownerLabel: principal.label };
}

export type Acting = { ok: true; principal: Principal } | { ok: false; reason: string };

/**
 * The principal a firing launches as: named `label` (e.g. `schedule:<id>`, so executions, requests and idempotency
 * keys belong to the automation), with the owner's permissions, runnable actions and device scope as they are now,
 * and `owner` naming whose rights those are. Not ok when there is no owner, it is deleted or disabled, or it lacks
 * `right`.
 */
export async function actAsOwner(ctx: AppContext, label: string, owner: Owner | null, right: OwnerRight): Promise<Acting> {
  if (!owner) return { ok: false, reason: 'no owner' };
  const principal = await principalOf(ctx, owner);
  if (!principal) return { ok: false, reason: `its owner ${owner.label} is disabled or deleted` };
  const problem = right(principal);
  if (problem) return { ok: false, reason: `its owner ${problem}` };
  return { ok: true, principal: { ...principal, id: label, label, owner: principal.label } };
}
