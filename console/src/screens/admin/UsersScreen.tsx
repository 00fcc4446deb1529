import { UserInput } from '@fixpoint/protocol';
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { rolesApi, usersApi, type MeT, type Role, type User } from '../../api/resources';
import { ConfirmButton } from '../../components/ConfirmButton';
import { CreateForm, CreateHeader } from '../../components/CreateForm';
import { EmptyState, ErrorMessage } from '../../components/Feedback';
import { Checkbox, CheckboxGroup, FormActions, TextField } from '../../components/Fields';
import { ResourceTable } from '../../components/ResourceTable';
import { useAction } from '../../components/use-action';
import { useLoad } from '../../components/use-load';
import { errorFor } from '../../lib/form-errors';
import { formatDateTime } from '@fixpoint/protocol';
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
  /** On Cancel and after a create. */
  onClose: () => void;
}

function NewUserForm({ roles, onCreated, onClose }: NewUserFormProps) {
  return (
    <CreateForm
      title="New user"
      submit="Create user"
      errorTitle="Could not create the user"
      initial={{ email: '', name: '', password: '', roles: [] as string[] }}
      schema={UserInput}
      toInput={(f) => ({ ...f, email: f.email.trim(), name: f.name.trim() })}
      onSubmit={async (input) => onCreated(await usersApi.create(input))}
      onClose={onClose}
    >
      {({ values, set, errors }) => (
        <>
          <div class="grid-3">
            <TextField label="E-mail" type="email" autoComplete="off" required value={values.email} error={errors.email} onInput={(email) => set({ email })} />
            <TextField label="Name" required value={values.name} error={errors.name} onInput={(name) => set({ name })} />
            <TextField
              label="Initial password"
              type="password"
              autoComplete="new-password"
              required
              value={values.password}
              error={errors.password}
              hint="At least 12 characters; share it with the user by a safe channel."
              onInput={(password) => set({ password })}
            />
          </div>
          <CheckboxGroup legend="Roles" options={roleOptions(roles)} value={values.roles} error={errorFor(errors, 'roles')} onChange={(chosen) => set({ roles: chosen })} />
        </>
      )}
    </CreateForm>
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
  const save = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void save.run(async () => onSaved(await usersApi.update(user.id, { name, roles: chosen, disabled, ...(password ? { password } : {}) })));
  };
  return (
    <form class="inline-editor" onSubmit={submit} aria-label={`Edit ${user.email}`}>
      <ErrorMessage error={save.error} title="Could not save the user" />
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
  const action = useAction(users.reload);
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <>
      <CreateHeader
        title="Users"
        description="People who sign in to the console. What they may do comes from their roles."
        newLabel="New user"
        form={(close) => (
          <NewUserForm
            roles={roles.data?.items}
            onClose={close}
            onCreated={(u) => {
              showNotice(`User ${u.email} created with roles ${u.roles.join(', ')}.`);
              users.reload();
            }}
          />
        )}
      />
      <ResourceTable
        load={users}
        error={action.error}
        caption="Users"
        columns={['E-mail', 'Name', 'Roles', 'Last sign-in']}
        actions
        empty={<EmptyState title="No users">Create a user and give them a role.</EmptyState>}
        row={(u) => (
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
                <ConfirmButton
                  label="Delete"
                  name={`Delete ${u.email}`}
                  question={`Delete ${u.email}?`}
                  onConfirm={() => action.run(() => usersApi.remove(u.id), `User ${u.email} deleted.`)}
                />
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
        )}
      />
    </>
  );
}
