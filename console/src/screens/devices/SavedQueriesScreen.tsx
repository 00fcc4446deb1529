import { SavedQueryInput, type Me, type SavedQuery } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';
import { savedQueriesApi } from '../../api/operate';
import { ConfirmButton } from '../../components/ConfirmButton';
import { CreateForm } from '../../components/CreateForm';
import { EmptyState } from '../../components/Feedback';
import { TextAreaField, TextField } from '../../components/Fields';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { QueryEditor } from '../../components/QueryEditor';
import { ResourceTable } from '../../components/ResourceTable';
import { useAction } from '../../components/use-action';
import { useLoad } from '../../components/use-load';
import { hasPermission } from '../../lib/access';
import { pathFor } from '../../router/routes';
import { showNotice } from '../../stores/notice';

export interface SavedQueryFormProps {
  /** The query to edit, or null for a new one. */
  saved: SavedQuery | null;
  /** Whether the caller may change the query text (a query that scopes a role needs admin). */
  canEditText: boolean;
  /** After a save: close the form and reload the list. */
  onDone: () => void;
  onCancel: () => void;
}

/** Creates a saved query, or renames and edits one; the fields are checked against the API's own schema first. */
export function SavedQueryForm({ saved, canEditText, onDone, onCancel }: SavedQueryFormProps) {
  const scoped = saved?.usedByRoles.length ? saved.usedByRoles.join(', ') : null;
  return (
    <CreateForm
      title={saved ? `Edit saved query ${saved.name}` : 'New saved query'}
      submit={saved ? 'Save changes' : 'Create saved query'}
      errorTitle="Could not save the query"
      initial={{ name: saved?.name ?? '', description: saved?.description ?? '', query: saved?.query ?? 'devices | where ' }}
      schema={SavedQueryInput}
      toInput={(f) => ({ ...f, name: f.name.trim() })}
      onSubmit={async (input) => {
        const result = saved ? await savedQueriesApi.update(saved.id, input) : await savedQueriesApi.create(input);
        showNotice(saved ? `Saved query ${result.name} updated.` : `Saved query ${result.name} created.`);
        onDone();
      }}
      onClose={onCancel}
    >
      {({ values, set, errors }) => (
        <>
          <TextField label="Name" value={values.name} error={errors.name} required onInput={(name) => set({ name })} />
          <TextAreaField label="Description" value={values.description} error={errors.description} rows={2} onInput={(description) => set({ description })} />
          <QueryEditor
            label="Devices query"
            value={values.query}
            onInput={(query) => set({ query })}
            disabled={!canEditText}
            hint={
              scoped
                ? `It scopes the roles ${scoped}: a change changes what they reach${canEditText ? ', and it must stay made of where, sort and list stages' : '; only an admin may change it'}.`
                : 'devices | where <condition>, with sort, list or limit stages.'
            }
          />
        </>
      )}
    </CreateForm>
  );
}

export interface SavedQueriesScreenProps {
  me: Me;
}

/** Saved queries, the named categories of devices: open, create, rename, edit and delete them, and see which roles they scope. */
export function SavedQueriesScreen({ me }: SavedQueriesScreenProps) {
  const list = useLoad(() => savedQueriesApi.list(), []);
  const action = useAction(list.reload);
  const [editing, setEditing] = useState<string | null>(null);
  const canEdit = hasPermission(me, 'devices:edit');
  const isAdmin = hasPermission(me, 'admin');
  const done = () => {
    setEditing(null);
    list.reload();
  };
  return (
    <>
      <PageHeader
        title="Saved queries"
        description="Named device queries: categories to launch on, and device scopes for roles (those made only of where, sort and list stages)."
      >
        {canEdit && editing !== 'new' ? (
          <button type="button" class="button primary" onClick={() => setEditing('new')}>
            New saved query
          </button>
        ) : null}
      </PageHeader>
      {editing === 'new' ? <SavedQueryForm saved={null} canEditText onDone={done} onCancel={() => setEditing(null)} /> : null}
      <ResourceTable
        load={list}
        error={action.error}
        caption="Saved queries"
        columns={['Name', 'Query', 'Used by roles']}
        actions
        empty={
          <EmptyState title="No saved queries">
            <p>
              Save a query from the <Link href={pathFor('devices')}>devices</Link> page, or create one here.
            </p>
          </EmptyState>
        }
        row={(q) => [
          <tr key={q.id}>
            <th scope="row">
              {q.name}
              {q.description ? <div class="muted small">{q.description}</div> : null}
            </th>
            <td>
              <code>{q.query}</code>
              {q.scopable ? null : <div class="muted small">not usable as a role scope</div>}
            </td>
            <td>
              {q.usedByRoles.length
                ? q.usedByRoles.map((role, i) => (
                    <span key={role}>
                      {i ? ', ' : null}
                      {isAdmin ? <Link href={pathFor('role', { name: role })}>{role}</Link> : role}
                    </span>
                  ))
                : <span class="muted">none</span>}
            </td>
            <td class="actions">
              <Link class="button small" href={`${pathFor('devices')}?q=${encodeURIComponent(q.query)}`} aria-label={`Open saved query ${q.name}`}>
                Open
              </Link>
              {canEdit ? (
                <>
                  <button type="button" class="button small" aria-label={`Edit saved query ${q.name}`} onClick={() => setEditing(q.id)}>
                    Edit
                  </button>
                  <ConfirmButton
                    label="Delete"
                    name={`Delete saved query ${q.name}`}
                    question={q.usedByRoles.length ? `Delete ${q.name}? It scopes ${q.usedByRoles.join(', ')}.` : `Delete saved query ${q.name}?`}
                    onConfirm={() => action.run(() => savedQueriesApi.remove(q.id), `Saved query ${q.name} deleted.`)}
                  />
                </>
              ) : null}
            </td>
          </tr>,
          editing === q.id ? (
            <tr key={`${q.id}-edit`}>
              <td colSpan={4}>
                <SavedQueryForm saved={q} canEditText={isAdmin || q.usedByRoles.length === 0} onDone={done} onCancel={() => setEditing(null)} />
              </td>
            </tr>
          ) : null,
        ]}
      />
    </>
  );
}
