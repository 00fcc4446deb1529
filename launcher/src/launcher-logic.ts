/**
 * @module
 * Pure rules behind the launcher panel, shared by the extension's background (which filters actions for a tab) and
 * the panel itself: which actions a person may run on a device, which device a ticket means, and how results read.
 */
import type { Action, ActionWithVersion, Device, Execution, ExecutionStatus, Me, OutputDecl } from '@fixpoint/protocol';
import { formatDateTime, formatValue, isTerminal } from '@fixpoint/protocol';

/** Actions `me` may run on a device of `platform`: not archived, runnable by the caller's roles, scripted for it. */
export function selectRunnableActions(actions: readonly Action[], me: Me, platform?: Device['platform']): Action[] {
  const admin = me.permissions.includes('admin');
  if (!admin && !me.permissions.includes('actions:run')) return [];
  const all = admin || me.runnableActions.includes('*');
  const allowed = new Set(me.runnableActions);
  return actions
    .filter((a) => !a.archived && (all || allowed.has(a.slug)) && (!platform || !a.platforms.length || a.platforms.includes(platform)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Whether the action's current version may be started from this kind of launcher. */
export function allowsTrigger(action: ActionWithVersion, trigger: 'extension' | 'manual'): boolean {
  return action.current.triggers.includes(trigger);
}

/**
 * The device a lookup settles on its own: only a single result with no other candidate. A short name and an FQDN,
 * case variants or duplicates are never decided here; the agent picks from the list.
 */
export function pickDevice(devices: readonly Device[]): Device | undefined {
  return devices.length === 1 ? devices[0] : undefined;
}

const factLabels: [string[], string][] = [
  [['model', 'hardware_model', 'hardware.model'], 'Model'],
  [['serial', 'serial_number', 'hardware.serial'], 'Serial'],
  [['user', 'logged_in_user', 'current_user', 'last_user'], 'User'],
  [['ip', 'ip_address', 'network.ip'], 'IP'],
  [['domain', 'ad_domain'], 'Domain'],
];

/** A few facts that help confirm the right device, in a fixed order. */
export function keyFacts(device: Device): [string, string][] {
  const facts: [string, string][] = [['OS', device.osVersion || device.platform]];
  for (const [keys, label] of factLabels) {
    const key = keys.find((k) => device.facts[k] !== undefined && device.facts[k] !== null && device.facts[k] !== '');
    const value = key ? device.facts[key] : undefined;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') facts.push([label, formatValue(value)]);
  }
  return facts;
}

/** Human words for a status. */
export function statusLabel(status: ExecutionStatus): string {
  const labels: Record<ExecutionStatus, string> = {
    held: 'Held (waiting for an earlier rollout wave)', queued: 'Queued (device offline or busy)', delivered: 'Delivered', running: 'Running', succeeded: 'Succeeded',
    failed: 'Failed', timed_out: 'Timed out', canceled: 'Canceled', expired: 'Expired (device stayed offline)',
  };
  return labels[status];
}

/** `done` for success, `bad` for other terminal states, `busy` while in flight. */
export function statusTone(status: ExecutionStatus): 'done' | 'bad' | 'busy' {
  if (status === 'succeeded') return 'done';
  return isTerminal(status) ? 'bad' : 'busy';
}

/** The outputs of an execution in declaration order, then any undeclared ones, as label/value rows. */
export function outputRows(execution: Execution, decls: readonly OutputDecl[]): [string, string][] {
  const outputs = execution.outputs ?? {};
  const rows: [string, string][] = [];
  const seen = new Set<string>();
  for (const decl of decls) {
    if (decl.name in outputs) rows.push([decl.name, formatValue(outputs[decl.name], decl.type)]);
    seen.add(decl.name);
  }
  for (const [name, value] of Object.entries(outputs)) if (!seen.has(name)) rows.push([name, formatValue(value)]);
  return rows;
}

/** A plain-text summary of a finished run, for the clipboard or a ticket's work notes. */
export function formatSummary(action: ActionWithVersion, device: Device, execution: Execution): string {
  const lines = [`Fixpoint: ${action.name} on ${device.name} — ${statusLabel(execution.status)}`];
  if (execution.exitCode !== null) lines.push(`Exit code: ${execution.exitCode}`);
  if (execution.error) lines.push(`Error: ${execution.error}`);
  for (const [name, value] of outputRows(execution, action.current.outputs)) lines.push(`${name}: ${value}`);
  const when = execution.finishedAt ?? execution.createdAt;
  lines.push(`Execution ${execution.id} (${formatDateTime(when)})`);
  return lines.join('\n');
}

/**
 * The device count a launch must confirm, when the API refused it for want of one (409 `confirmation_required`
 * above the rollout threshold), else null. The console and the extension then ask the user to type that number.
 */
export function confirmationCount(error: unknown): number | null {
  const e = error as { code?: unknown; details?: { deviceCount?: unknown } } | null;
  if (e?.code !== 'confirmation_required') return null;
  const n = e.details?.deviceCount;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
}

/** Whether what the user typed confirms `count` devices (digits only, thousands separators allowed). */
export function confirmsCount(typed: string, count: number): boolean {
  const digits = typed.trim().replace(/[\s,.']/g, '');
  return /^\d+$/.test(digits) && Number(digits) === count;
}
