import { Platform, Purpose } from '@fixpoint/protocol';
import { useEffect, useState } from 'preact/hooks';
import { actionsApi, type MeT } from '../../api/resources';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback';
import { Checkbox, SelectField, TextField } from '../../components/Fields';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../components/use-load';
import { hasPermission } from '../../lib/access';
import { formatDateTime } from '@fixpoint/protocol';
import { pathFor } from '../../router/routes';
import { location, setSearchParams } from '../../stores/router';

export interface ActionLibraryProps {
  me: MeT;
}

const purposeLabels: Record<string, string> = { remediation: 'Remediation', data_collection: 'Data collection' };

/** The action library: search by name or slug, filter by purpose and platform; editors can create and import. */
export function ActionLibrary({ me }: ActionLibraryProps) {
  const search = location.value.search;
  const [text, setText] = useState(search.get('q') ?? '');
  const q = search.get('q') ?? '';
  const purpose = search.get('purpose') ?? '';
  const platform = search.get('platform') ?? '';
  const archived = search.get('archived') === 'true';
  const canEdit = hasPermission(me, 'actions:edit');

  // Typing updates the URL after a short pause, so the list does not reload on every key.
  useEffect(() => {
    if (text === q) return;
    const timer = setTimeout(() => setSearchParams({ q: text.trim() || undefined }), 250);
    return () => clearTimeout(timer);
  }, [text]);

  const list = useLoad(
    () => actionsApi.list({ q: q || undefined, purpose: Purpose.safeParse(purpose).data, platform: Platform.safeParse(platform).data, archived, limit: 200 }),
    [q, purpose, platform, archived],
  );
  const filtered = Boolean(q || purpose || platform);

  return (
    <>
      <PageHeader title="Actions" description="Scripts with typed parameters and outputs that run on devices.">
        {canEdit ? (
          <>
            <Link class="button" href={pathFor('action-import')}>
              Import
            </Link>
            <Link class="button primary" href={pathFor('action-new')}>
              New action
            </Link>
          </>
        ) : null}
      </PageHeader>
      <form class="filters" role="search" aria-label="Filter actions" onSubmit={(e) => (e.preventDefault(), setSearchParams({ q: text.trim() || undefined }))}>
        <TextField label="Search" type="search" placeholder="Name or slug" value={text} onInput={setText} />
        <SelectField
          label="Purpose"
          value={purpose}
          options={[{ value: '', label: 'Any purpose' }, { value: 'remediation', label: 'Remediation' }, { value: 'data_collection', label: 'Data collection' }]}
          onChange={(v) => setSearchParams({ purpose: v || undefined })}
        />
        <SelectField
          label="Platform"
          value={platform}
          options={[{ value: '', label: 'Any platform' }, { value: 'windows', label: 'Windows' }, { value: 'macos', label: 'macOS' }, { value: 'linux', label: 'Linux' }]}
          onChange={(v) => setSearchParams({ platform: v || undefined })}
        />
        <Checkbox label="Show archived" checked={archived} onChange={(on) => setSearchParams({ archived: on ? 'true' : undefined })} />
      </form>
      <ErrorMessage error={list.error} title="Could not load the actions" />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.items.length === 0 ? (
        filtered ? (
          <EmptyState title="No matching actions">
            <p>Nothing matches these filters. Try another search, or clear the filters.</p>
          </EmptyState>
        ) : canEdit ? (
          <EmptyState title="No actions yet">
            <p>
              An action is a script per platform with typed parameters and outputs. <Link href={pathFor('action-new')}>Create the first action</Link>{' '}
              or <Link href={pathFor('action-import')}>import an action file</Link> (YAML or JSON).
            </p>
          </EmptyState>
        ) : (
          <EmptyState title="No actions for you yet">
            <p>Your roles do not list any action you may run. Ask an administrator to add actions to your role.</p>
          </EmptyState>
        )
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <table class="table">
          <caption class="visually-hidden">Actions ({list.data.total})</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Purpose</th>
              <th scope="col">Platforms</th>
              <th scope="col">Version</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link href={pathFor('action', { slug: a.slug })}>{a.name}</Link>
                  <div class="muted small">
                    <code>{a.slug}</code>
                    {a.archived ? <span class="badge">archived</span> : null}
                  </div>
                </td>
                <td>{purposeLabels[a.purpose] ?? a.purpose}</td>
                <td>{a.platforms.join(', ')}</td>
                <td>v{a.latestVersion}</td>
                <td>{formatDateTime(a.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list.data && list.data.total > list.data.items.length ? (
        <p class="muted">
          Showing {list.data.items.length} of {list.data.total}; search to narrow the list.
        </p>
      ) : null}
    </>
  );
}
