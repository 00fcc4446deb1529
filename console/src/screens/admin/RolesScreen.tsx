import { useState } from 'preact/hooks';
import { rolesApi, type Role } from '../../api/resources';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState, ListState } from '../../components/Feedback';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../components/use-load';
import { describeScope } from '../../lib/role-form';
import { pathFor } from '../../router/routes';
import { showNotice } from '../../stores/notice';

function describeActions(role: Role): string {
  if (role.runnableActions.includes('*')) return 'every action';
  if (role.runnableActions.length === 0) return 'none';
  return role.runnableActions.join(', ');
}

/** Roles: permissions, the actions each may run, and the devices each reaches. */
export function RolesScreen() {
  const roles = useLoad(() => rolesApi.list(), []);
  const [error, setError] = useState<unknown>(null);
  const remove = async (role: Role) => {
    try {
      await rolesApi.remove(role.name);
      showNotice(`Role ${role.name} deleted.`);
      roles.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <PageHeader title="Roles" description="Built-in roles cover the usual jobs; custom roles narrow actions and devices further.">
        <Link class="button primary" href={pathFor('role-new')}>
          New role
        </Link>
      </PageHeader>
      <ListState load={roles} error={error}>
        <EmptyState title="No roles">Create a role to give users permissions.</EmptyState>
      </ListState>
      {roles.data && roles.data.items.length > 0 ? (
        <table class="table">
          <caption class="visually-hidden">Roles</caption>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Permissions</th>
              <th scope="col">Runs</th>
              <th scope="col">Devices</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {roles.data.items.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  <Link href={pathFor('role', { name: r.name })}>{r.name}</Link>
                  {r.builtIn ? <span class="badge">built-in</span> : null}
                  <div class="muted small">{r.description}</div>
                </th>
                <td>{r.permissions.join(', ') || 'none'}</td>
                <td>{describeActions(r)}</td>
                <td>{describeScope(r.deviceScope)}</td>
                <td class="actions">
                  {r.builtIn ? null : <ConfirmButton label="Delete" name={`Delete role ${r.name}`} question={`Delete role ${r.name}?`} onConfirm={() => remove(r)} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
