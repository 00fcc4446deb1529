import { savedQueriesApi } from '../../api/operate';
import { rolesApi, type Role } from '../../api/resources';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState } from '../../components/Feedback';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { ResourceTable } from '../../components/ResourceTable';
import { useAction } from '../../components/use-action';
import { useLoad } from '../../components/use-load';
import { describeRunnable, describeScope } from '../../lib/role-form';
import { pathFor } from '../../router/routes';

function describeActions(role: Role): string {
  if (!role.runnableActions.includes('*') && role.editImpliesRun && role.permissions.includes('actions:edit')) return 'every action (may run what they may edit)';
  return describeRunnable(role.runnableActions);
}

/** Roles: permissions, the actions each may run, and the devices each reaches. */
export function RolesScreen() {
  const roles = useLoad(() => rolesApi.list(), []);
  const action = useAction(roles.reload);
  const saved = useLoad(() => savedQueriesApi.list(), []);
  const queryNames = Object.fromEntries((saved.data?.items ?? []).map((q) => [q.id, q.name]));
  return (
    <>
      <PageHeader title="Roles" description="Built-in roles cover the usual jobs; custom roles narrow actions and devices further.">
        <Link class="button primary" href={pathFor('role-new')}>
          New role
        </Link>
      </PageHeader>
      <ResourceTable
        load={roles}
        error={action.error}
        caption="Roles"
        columns={['Role', 'Permissions', 'Runs', 'Devices']}
        actions
        empty={<EmptyState title="No roles">Create a role to give users permissions.</EmptyState>}
        row={(r) => (
          <tr key={r.id}>
            <th scope="row">
              <Link href={pathFor('role', { name: r.name })}>{r.name}</Link>
              {r.builtIn ? <span class="badge">built-in</span> : null}
              <div class="muted small">{r.description}</div>
            </th>
            <td>{r.permissions.join(', ') || 'none'}</td>
            <td>{describeActions(r)}</td>
            <td>{describeScope(r.deviceScope, queryNames)}</td>
            <td class="actions">
              {r.builtIn ? null : <ConfirmButton label="Delete" name={`Delete role ${r.name}`} question={`Delete role ${r.name}?`} onConfirm={() => action.run(() => rolesApi.remove(r.name), `Role ${r.name} deleted.`)} />}
            </td>
          </tr>
        )}
      />
    </>
  );
}
