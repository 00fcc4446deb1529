import { useEffect, useState } from 'preact/hooks';
import { actionsApi, type ActionVersion } from '../../api/resources';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../components/use-load';
import { countChanges, diffLines } from '../../lib/diff';
import { formatDateTime } from '@fixpoint/protocol';
import { versionLines } from '../../lib/version-text';
import { pathFor } from '../../router/routes';
import { DiffView } from './DiffView';
import { LabelName } from '../../components/LabelName';

export interface ActionHistoryProps {
  slug: string;
}

/** Every version of an action, newest first, and a line diff between any two of them. */
export function ActionHistory({ slug }: ActionHistoryProps) {
  const versions = useLoad(() => actionsApi.versions(slug), [slug]);
  const items = versions.data?.items ?? [];
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [pair, setPair] = useState<[ActionVersion, ActionVersion] | null>(null);
  const [diffError, setDiffError] = useState<unknown>(null);

  // Start by comparing the latest version with the one before it.
  useEffect(() => {
    if (items.length === 0 || to !== null) return;
    setTo(items[0]!.version);
    setFrom(items[1]?.version ?? items[0]!.version);
  }, [items.length]);

  useEffect(() => {
    if (from === null || to === null) return;
    setDiffError(null);
    Promise.all([actionsApi.version(slug, from), actionsApi.version(slug, to)]).then((p) => setPair(p), setDiffError);
  }, [slug, from, to]);

  const diff = pair ? diffLines(versionLines(pair[0]), versionLines(pair[1])) : null;
  const counts = diff ? countChanges(diff) : null;
  return (
    <>
      <PageHeader title="Version history" description={<code>{slug}</code>}>
        <Link class="button" href={pathFor('action', { slug })}>
          Back to the action
        </Link>
      </PageHeader>
      <ErrorMessage error={versions.error} title="Could not load the versions" />
      {versions.loading && !versions.data ? <Loading /> : null}
      {versions.data && items.length === 0 ? <EmptyState title="No versions">This action has no versions yet.</EmptyState> : null}
      {items.length > 0 ? (
        <table class="table">
          <caption>Choose two versions to compare</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Compare from</th>
              <th scope="col">Compare to</th>
              <th scope="col">Name</th>
              <th scope="col">Platforms</th>
              <th scope="col">Saved</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {items.map((v) => (
              <tr key={v.id}>
                <th scope="row">v{v.version}</th>
                <td>
                  <input
                    type="radio"
                    name="from"
                    aria-label={`Compare from version ${v.version}`}
                    checked={from === v.version}
                    onChange={() => setFrom(v.version)}
                  />
                </td>
                <td>
                  <input type="radio" name="to" aria-label={`Compare to version ${v.version}`} checked={to === v.version} onChange={() => setTo(v.version)} />
                </td>
                <td>{v.name}</td>
                <td>{v.platforms.join(', ')}</td>
                <td>{formatDateTime(v.createdAt)}</td>
                <td>
                  <LabelName label={v.createdBy} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ErrorMessage error={diffError} title="Could not load a version" />
      {pair && diff && counts ? (
        <section aria-labelledby="diff-title" class="panel">
          <h2 id="diff-title">
            Version {pair[0].version} → version {pair[1].version}{' '}
            <span class="muted small">
              ({counts.added} added, {counts.deleted} removed)
            </span>
          </h2>
          <DiffView lines={diff} from={`v${pair[0].version}`} to={`v${pair[1].version}`} />
        </section>
      ) : null}
    </>
  );
}
