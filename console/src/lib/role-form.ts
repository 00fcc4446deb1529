/** @module The role editor's form model: permissions, the actions the role may run and its device scope. */
import { manualActionsEntry, RoleInput, type Permission, type Platform, type Role } from '@fixpoint/protocol';
import { issuesToErrors, type FieldErrors } from './form-errors';
import { splitList } from './format';

export interface RoleForm {
  name: string;
  description: string;
  permissions: Permission[];
  /** Every action, present and future (`"*"`). */
  allActions: boolean;
  /** Every action whose authors allow launching it by hand, present and future (`"@manual"`), besides the list. */
  manualActions: boolean;
  runnableActions: string[];
  /** Every device; otherwise the tags and platforms below narrow the scope. */
  allDevices: boolean;
  /** Comma- or newline-separated device tags, e.g. `site:paris`. */
  tags: string;
  platforms: Platform[];
  /** Saved queries (ids) the scope is narrowed to: a device must match one of them. */
  queries: string[];
  /** "May run what they may edit": with actions:edit, runs every action. */
  editImpliesRun: boolean;
}

export function emptyRoleForm(): RoleForm {
  return { name: '', description: '', permissions: [], allActions: false, manualActions: false, runnableActions: [], allDevices: true, tags: '', platforms: [], queries: [], editImpliesRun: false };
}

export function formFromRole(role: Role): RoleForm {
  const all = role.runnableActions.includes('*');
  return {
    name: role.name,
    description: role.description,
    permissions: [...role.permissions],
    allActions: all,
    manualActions: !all && role.runnableActions.includes(manualActionsEntry),
    runnableActions: all ? [] : role.runnableActions.filter((a) => a !== manualActionsEntry),
    allDevices: role.deviceScope.all,
    tags: role.deviceScope.tags.join(', '),
    platforms: [...role.deviceScope.platforms],
    queries: [...(role.deviceScope.queries ?? [])],
    editImpliesRun: role.editImpliesRun ?? false,
  };
}

/** Converts and validates with the backend's RoleInput schema. */
export function roleInputFromForm(form: RoleForm): { ok: true; input: RoleInput } | { ok: false; errors: FieldErrors } {
  const tags = form.allDevices ? [] : splitList(form.tags);
  const candidate = {
    name: form.name.trim(),
    description: form.description.trim(),
    permissions: form.permissions,
    runnableActions: form.allActions ? ['*'] : [...(form.manualActions ? [manualActionsEntry] : []), ...form.runnableActions],
    deviceScope: { all: form.allDevices, tags, platforms: form.allDevices ? [] : form.platforms, queries: form.allDevices ? [] : form.queries },
    editImpliesRun: form.editImpliesRun,
  };
  const parsed = RoleInput.safeParse(candidate);
  if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.error.issues) };
  if (!form.allDevices && tags.length === 0 && form.platforms.length === 0 && form.queries.length === 0)
    return { ok: false, errors: { 'deviceScope.tags': 'name at least one tag, platform or saved query, or choose every device' } };
  return { ok: true, input: parsed.data };
}

/** A one-line summary of a role's scope for tables: "every device", "tags site:paris · windows". */
export function describeScope(scope: Role['deviceScope'], queryNames: Readonly<Record<string, string>> = {}): string {
  if (scope.all) return 'every device';
  const queries = scope.queries ?? [];
  const parts = [
    scope.tags.length ? `tags ${scope.tags.join(', ')}` : null,
    scope.platforms.length ? scope.platforms.join(', ') : null,
    queries.length ? `queries ${queries.map((id) => queryNames[id] ?? id).join(', ')}` : null,
  ];
  return parts.filter(Boolean).join(' · ') || 'no device';
}

/** A one-line summary of what a role may run, for tables. */
export function describeRunnable(runnable: readonly string[]): string {
  if (runnable.includes('*')) return 'every action';
  const listed = runnable.filter((a) => a !== manualActionsEntry);
  const manual = runnable.includes(manualActionsEntry) ? ['every action launchable by hand'] : [];
  return [...manual, ...listed].join(', ') || 'none';
}
