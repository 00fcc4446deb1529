import { permissions, type Permission } from '@fixpoint/protocol';
import { useEffect, useState } from 'preact/hooks';
import { savedQueriesApi } from '../../api/operate';
import { actionsApi, rolesApi, type Role } from '../../api/resources';
import { ErrorMessage, Loading } from '../../components/Feedback';
import { Checkbox, CheckboxGroup, TextAreaField, TextField } from '../../components/Fields';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../components/use-load';
import { errorFor, type FieldErrors } from '../../lib/form-errors';
import { emptyRoleForm, formFromRole, roleInputFromForm, type RoleForm } from '../../lib/role-form';
import { pathFor } from '../../router/routes';
import { navigate } from '../../stores/router';
import { showNotice } from '../../stores/notice';

export interface RoleEditorProps {
  /** null for a new role. */
  name: string | null;
}

const permissionHints: Record<Permission, string> = {
  'actions:edit': 'write and import actions',
  'actions:approve': 'approve or reject action versions written by others (four-eyes)',
  'actions:run': 'launch the actions listed below',
  'actions:run_unstaged': 'launch to many devices at once, without a staged rollout',
  'campaigns:edit': 'write campaigns',
  'campaigns:trigger': 'send campaigns to users',
  'devices:read': 'see devices and their data',
  'devices:edit': 'tag devices and save device queries',
  'agents:update': 'upload agent releases and roll them out',
  admin: 'everything, including users and roles',
};

/** Creates or edits a role. Built-in roles are fixed, except which actions `support` may run and where. */
export function RoleEditor({ name }: RoleEditorProps) {
  const [role, setRole] = useState<Role | null>(null);
  const [form, setForm] = useState<RoleForm>(emptyRoleForm);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const actions = useLoad(() => actionsApi.list({ limit: 500 }), []);
  const saved = useLoad(() => savedQueriesApi.list(), []);
  useEffect(() => {
    if (!name) return;
    rolesApi.get(name).then((r) => {
      setRole(r);
      setForm(formFromRole(r));
    }, setLoadError);
  }, [name]);
  const set = (patch: Partial<RoleForm>) => setForm((f) => ({ ...f, ...patch }));
  const fixed = Boolean(role?.builtIn && role.name !== 'support');
  const scopeOnly = role?.builtIn && role.name === 'support';

  const save = async (event: Event) => {
    event.preventDefault();
    const result = roleInputFromForm(form);
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    setError(null);
    try {
      const saved = role ? await rolesApi.update(role.name, result.input) : await rolesApi.create(result.input);
      showNotice(`Role ${saved.name} saved.`, 'success', pathFor('roles'));
      navigate(pathFor('roles'));
    } catch (e) {
      setError(e);
    }
  };

  if (name && loadError) return <ErrorMessage error={loadError} title="Could not load the role" />;
  if (name && !role) return <Loading />;
  const actionOptions = (actions.data?.items ?? []).map((a) => ({ value: a.slug, label: `${a.name} (${a.slug})` }));
  // Only queries that are plain conditions can scope a role (no limit or summarize).
  const queryOptions = (saved.data?.items ?? [])
    .filter((q) => q.scopable || form.queries.includes(q.id))
    .map((q) => ({ value: q.id, label: q.name, hint: q.query }));
  return (
    <>
      <PageHeader title={role ? `Role ${role.name}` : 'New role'} description={role?.description} />
      {fixed ? <p class="alert alert-info">Built-in roles cannot be changed. Create a custom role for a different set of permissions.</p> : null}
      {scopeOnly ? <p class="alert alert-info">For the built-in support role, only the actions it may run and its devices can change.</p> : null}
      <form onSubmit={save} novalidate aria-label={role ? `Edit role ${role.name}` : 'New role'}>
        <ErrorMessage error={error} title="Could not save the role" />
        <fieldset class="plain" disabled={fixed}>
          <legend class="visually-hidden">Role</legend>
          <section class="panel" aria-labelledby="role-basics">
            <h2 id="role-basics">Role</h2>
            <TextField
              label="Name"
              required
              value={form.name}
              disabled={Boolean(role)}
              error={errors.name}
              hint="Lower-case letters, digits and dashes."
              onInput={(n) => set({ name: n })}
            />
            <fieldset class="plain" disabled={scopeOnly}>
              <TextAreaField label="Description" value={form.description} error={errors.description} onInput={(description) => set({ description })} />
              <CheckboxGroup
                legend="Permissions"
                options={permissions.map((p) => ({ value: p, label: p, hint: permissionHints[p] }))}
                value={form.permissions}
                error={errorFor(errors, 'permissions')}
                onChange={(list) => set({ permissions: list })}
              />
              <Checkbox
                label="May run what they may edit (actions:edit also runs every action)"
                checked={form.editImpliesRun}
                onChange={(editImpliesRun) => set({ editImpliesRun })}
              />
            </fieldset>
          </section>
          <section class="panel" aria-labelledby="role-actions">
            <h2 id="role-actions">Actions it may run</h2>
            <Checkbox label="Every action, including future ones" checked={form.allActions} onChange={(allActions) => set({ allActions })} />
            {!form.allActions ? (
              <Checkbox
                label="Every action its authors allow to be launched by hand (trigger “manual”), including future ones"
                checked={form.manualActions}
                onChange={(manualActions) => set({ manualActions })}
              />
            ) : null}
            {!form.allActions ? (
              actionOptions.length ? (
                <CheckboxGroup
                  legend="Runnable actions"
                  options={actionOptions}
                  value={form.runnableActions}
                  error={errorFor(errors, 'runnableActions')}
                  onChange={(runnableActions) => set({ runnableActions })}
                />
              ) : (
                <p class="muted">
                  The library has no actions yet. <Link href={pathFor('action-new')}>Create an action</Link> first, or choose every action.
                </p>
              )
            ) : null}
          </section>
          <section class="panel" aria-labelledby="role-devices">
            <h2 id="role-devices">Devices it reaches</h2>
            <Checkbox label="Every device" checked={form.allDevices} onChange={(allDevices) => set({ allDevices })} />
            {!form.allDevices ? (
              <>
                <TextField
                  label="Device tags"
                  value={form.tags}
                  error={errorFor(errors, 'deviceScope.tags')}
                  hint="Comma-separated, e.g. site:paris, dept:finance. Enrollment tokens stamp tags on devices."
                  onInput={(tags) => set({ tags })}
                />
                <CheckboxGroup
                  legend="Platforms"
                  options={[{ value: 'windows', label: 'Windows' }, { value: 'macos', label: 'macOS' }, { value: 'linux', label: 'Linux' }]}
                  value={form.platforms}
                  error={errorFor(errors, 'deviceScope.platforms')}
                  onChange={(platforms) => set({ platforms })}
                />
                {queryOptions.length ? (
                  <CheckboxGroup
                    legend="Saved queries (a device must match one)"
                    options={queryOptions}
                    value={form.queries}
                    error={errorFor(errors, 'deviceScope.queries')}
                    onChange={(queries) => set({ queries })}
                  />
                ) : null}
              </>
            ) : null}
          </section>
        </fieldset>
        <div class="form-actions">
          {!fixed ? (
            <button type="submit" class="button primary">
              {role ? 'Save role' : 'Create role'}
            </button>
          ) : null}
          <Link class="button" href={pathFor('roles')}>
            Back to roles
          </Link>
        </div>
      </form>
    </>
  );
}
