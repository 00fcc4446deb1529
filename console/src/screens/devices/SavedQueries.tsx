import { useState } from 'preact/hooks';
import { savedQueriesApi } from '../../api/operate';
import { ErrorMessage } from '../../components/Feedback';
import { TextField } from '../../components/Fields';
import { Link } from '../../components/Link';
import { useLoad } from '../../components/use-load';
import { pathFor } from '../../router/routes';
import { showNotice } from '../../stores/notice';

export interface SavedQueriesProps {
  /** The query in the editor, to save under a name. */
  current: string;
  canSave: boolean;
  /** Runs a saved query (its text goes into the editor). */
  onPick: (text: string) => void;
}

/** Saved queries, the named categories of devices: pick one to run it, or save the query in the editor. */
export function SavedQueries({ current, canSave, onPick }: SavedQueriesProps) {
  const saved = useLoad(() => savedQueriesApi.list(), []);
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const items = saved.data?.items ?? [];

  const save = async (event: Event) => {
    event.preventDefault();
    if (!name.trim()) return;
    setError(null);
    try {
      const created = await savedQueriesApi.create({ name: name.trim(), description: '', query: current });
      showNotice(`Query saved as ${created.name}.`);
      setName('');
      setSaving(false);
      saved.reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div class="saved-queries">
      {items.length ? (
        <label class="inline-field">
          Saved query{' '}
          <select
            value=""
            onChange={(e) => {
              const picked = items.find((q) => q.id === e.currentTarget.value);
              if (picked) onPick(picked.query);
            }}
          >
            <option value="">Choose a category…</option>
            {items.map((q) => (
              <option key={q.id} value={q.id} title={q.query}>
                {q.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <Link class="button" href={pathFor('saved-queries')}>
        {canSave ? 'Manage saved queries' : 'All saved queries'}
      </Link>
      {canSave && !saving ? (
        <button type="button" class="button" onClick={() => setSaving(true)}>
          Save query…
        </button>
      ) : null}
      {saving ? (
        <form class="inline-form" onSubmit={save} aria-label="Save the query">
          <ErrorMessage error={error} title="Could not save the query" />
          <TextField label="Name of the saved query" value={name} required onInput={setName} />
          <button type="submit" class="button primary" disabled={!name.trim()}>
            Save
          </button>
          <button type="button" class="button" onClick={() => setSaving(false)}>
            Cancel
          </button>
        </form>
      ) : null}
    </div>
  );
}
