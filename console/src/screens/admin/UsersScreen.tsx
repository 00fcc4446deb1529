import { UserInput } from '@fixpoint/protocol';
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { rolesApi, usersApi, type MeT, type Role, type User } from '../../api/resources';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState, ErrorMessage, ListState } from '../../components/Feedback';
import { Checkbox, CheckboxGroup, FormActions, TextField } from '../../components/Fields';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../components/use-load';
import { errorFor, issuesToErrors, type FieldErrors } from '../../lib/form-errors';
import { formatDateTime } from '../../lib/format';
import { showNotice } from '../../stores/notice';

export interface UsersScreenProps {
  me: MeT;
}

function roleOptions(roles: Role[] | undefined) {
  return (roles ?? []).map((r) => ({ value: r.name, label: r.name, hint: r.description }));
}

export interface NewUserFormProps {
  roles: Role[] | undefined;
  onCreated: (user: User) => void;
  onCancel: () => void;
}

function NewUserForm({ roles, onCreated, onCancel }: NewUserFormProps) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const parsed = UserInput.safeParse({ email: email.trim(), name: name.trim(), password, roles: chosen });
    if (!parsed.success) return setErrors(issuesToErrors(parsed.error.issues));
    setErrors({});
    try {
      onCreated(await usersApi.create(parsed.data));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form class="panel" onSubmit={submit} aria-labelledby="new-user-title" novalidate>
      <h2 id="new-user-title">New user</h2>
      <ErrorMessage error={error} title="Could not create the user" />
      <div class="grid-3">
        <TextField label="E-mail" type="email" autoComplete="off" required value={email} error={errors.email} onInput={setEmail} />
        <TextField label="Name" required value={name} error={errors.name} onInput={setName} />
        <TextField
          label="Initial password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          error={errors.password}
          hint="At least 12 characters; share it with the user by a safe channel."
          onInput={setPassword}
        />
      </div>
      <CheckboxGroup legend="Roles" options={roleOptions(roles)} value={chosen} error={errorFor(errors, 'roles')} onChange={setChosen} />
      <FormActions submit="Create user" onCancel={onCancel} />
    </form>
  );
}

export interface EditUserProps {
  user: User;
  roles: Role[] | undefined;
  onSaved: (user: User) => void;
  onCancel: () => void;
}

function EditUser({ user, roles, onSaved, onCancel }: EditUserProps) {
  const [name, setName] = useState(user.name);
  const [chosen, setChosen] = useState<string[]>(user.roles);
  const [disabled, setDisabled] = useState(user.disabled);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      onSaved(await usersApi.update(user.id, { name, roles: chosen, disabled, ...(password ? { password } : {}) }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form class="inline-editor" onSubmit={submit} aria-label={`Edit ${user.email}`}>
      <ErrorMessage error={error} title="Could not save the user" />
      <div class="grid-2">
        <TextField label="Name" value={name} onInput={setName} />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          value={password}
          hint="Leave empty to keep the current one. A reset signs the user out, revokes their access tokens, and they must choose a new password at their next sign-in."
          onInput={setPassword}
        />
      </div>
      <CheckboxGroup legend="Roles" options={roleOptions(roles)} value={chosen} onChange={setChosen} />
      <Checkbox label="Disabled (cannot sign in; sessions end)" checked={disabled} onChange={setDisabled} />
      <FormActions submit={`Save ${user.email}`} onCancel={onCancel} />
    </form>
  );
}

/** User accounts: create with roles, change roles, disable, reset passwords, delete. */
export function UsersScreen({ me }: UsersScreenProps) {
  const users = useLoad(() => usersApi.list(), []);
  const roles = useLoad(() => rolesApi.list(), []);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const remove = async (user: User) => {
    try {
      await usersApi.remove(user.id);
      showNotice(`User ${user.email} deleted.`);
      users.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <PageHeader title="Users" description="People who sign in to the console. What they may do comes from their roles.">
        {!creating ? (
          <button type="button" class="button primary" onClick={() => setCreating(true)}>
            New user
          </button>
        ) : null}
      </PageHeader>
      {creating ? (
        <NewUserForm
          roles={roles.data?.items}
          onCancel={() => setCreating(false)}
          onCreated={(u) => {
            setCreating(false);
            showNotice(`User ${u.email} created with roles ${u.roles.join(', ')}.`);
            users.reload();
          }}
        />
      ) : null}
      <ListState load={users} error={error}>
        <EmptyState title="No users">Create a user and give them a role.</EmptyState>
      </ListState>
      {users.data && users.data.items.length > 0 ? (
        <table class="table">
          <caption class="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th scope="col">E-mail</th>
              <th scope="col">Name</th>
              <th scope="col">Roles</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((u) => (
              <Fragment key={u.id}>
                <tr>
                  <th scope="row">
                    {u.email}
                    {u.disabled ? <span class="badge">disabled</span> : null}
                    {u.id === me.id ? <span class="badge">you</span> : null}
                  </th>
                  <td>{u.name}</td>
                  <td>{u.roles.join(', ')}</td>
                  <td>{formatDateTime(u.lastLoginAt) || 'never'}</td>
                  <td class="actions">
                    <button type="button" class="button small" aria-expanded={editing === u.id} onClick={() => setEditing(editing === u.id ? null : u.id)}>
                      Edit<span class="visually-hidden"> {u.email}</span>
                    </button>
                    <ConfirmButton label="Delete" name={`Delete ${u.email}`} question={`Delete ${u.email}?`} onConfirm={() => remove(u)} />
                  </td>
                </tr>
                {editing === u.id ? (
                  <tr>
                    <td colSpan={5}>
                      <EditUser
                        user={u}
                        roles={roles.data?.items}
                        onCancel={() => setEditing(null)}
                        onSaved={(saved) => {
                          setEditing(null);
                          showNotice(`User ${saved.email} saved.`);
                          users.reload();
                        }}
                      />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
