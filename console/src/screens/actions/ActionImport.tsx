import { useState } from 'preact/hooks';
import { actionsApi } from '../../api/resources';
import { ErrorMessage } from '../../components/Feedback';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { importContentType } from '../../lib/import-file';
import { pathFor } from '../../router/routes';
import { navigate } from '../../stores/router';
import { showNotice } from '../../stores/notice';

/** Largest file accepted; the backend takes at most 2.5 MB (three 600 KB scripts and the rest). */
const maxFileBytes = 2.5 * 1024 * 1024;

/** Uploads an action file (as exported): creates the action, adds a version, or reports that nothing changed. */
export function ActionImport() {
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!file) {
      setError(new Error('choose an action file first'));
      return;
    }
    if (file.size > maxFileBytes) {
      setError(new Error(`the file is larger than ${maxFileBytes / 1024 / 1024} MB`));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const text = await file.text();
      const result = await actionsApi.import(text, importContentType(file.name, text));
      const what = { created: 'created', updated: `updated to version ${result.action.latestVersion}`, unchanged: 'unchanged: it is identical to the latest version' };
      const to = pathFor('action', { slug: result.action.slug });
      showNotice(`Imported “${result.action.name}”: ${what[result.outcome]}.`, 'success', to);
      navigate(to);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeader title="Import an action" description="Upload an action file exported from Fixpoint, in YAML or JSON." />
      <form class="panel narrow" onSubmit={submit}>
        <ErrorMessage error={error} title="Import failed" />
        <div class="field">
          <label for="import-file">Action file</label>
          <input
            id="import-file"
            type="file"
            accept=".yaml,.yml,.json,application/json,application/yaml"
            aria-describedby="import-file-hint"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
          <p class="hint" id="import-file-hint">
            A <code>kind: fixpoint/action</code> file. An existing slug gets a new version; identical content changes nothing.
          </p>
        </div>
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={busy}>
            {busy ? 'Importing…' : 'Import'}
          </button>
          <Link class="button" href={pathFor('actions')}>
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
