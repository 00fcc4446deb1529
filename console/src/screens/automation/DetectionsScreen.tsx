import { detectionsApi } from '../../api/automation';
import type { MeT } from '../../api/resources';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../components/use-load';
import { hasPermission } from '../../lib/access';
import { pathFor } from '../../router/routes';
import { RuleState } from './RuleState';

export interface DetectionsScreenProps {
  me: MeT;
}

/** Detection rules: when a device starts matching a condition, an action runs, within guards. */
export function DetectionsScreen({ me }: DetectionsScreenProps) {
  const list = useLoad(() => detectionsApi.list(), []);
  const canEdit = hasPermission(me, 'actions:edit');
  return (
    <>
      <PageHeader title="Detection rules" description="Self-healing and self-help: when a device starts matching a condition, an action runs on it, within limits. Self-help asks the user at the console, from a system run or a run as the user.">
        {canEdit ? (
          <Link class="button primary" href={pathFor('detection-new')}>
            New detection rule
          </Link>
        ) : null}
      </PageHeader>
      <ErrorMessage error={list.error} title="Could not load the detection rules" />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.items.length === 0 ? (
        <EmptyState title="No detection rules yet">
          {canEdit ? (
            <p>
              <Link href={pathFor('detection-new')}>Create a rule</Link>: a condition over device fields (for example <code>disk.free_pct &lt; 10</code>), the
              remediation action to run, and guards such as a cooldown and a staged rollout. A dry run shows which devices would fire before anything does.
            </p>
          ) : (
            <p>Authors create detection rules; their health and the runs they started show up here.</p>
          )}
        </EmptyState>
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <table class="table">
          <caption class="visually-hidden">Detection rules</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Condition</th>
              <th scope="col">Action</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link href={pathFor('detection', { id: r.id })}>{r.name}</Link>
                </td>
                <td class="wrap">
                  <code>{r.condition}</code>
                </td>
                <td>
                  <code>{r.actionSlug}</code> <span class="muted small">as {r.runAs}{r.selfHelp ? ', self-help' : ', self-healing'}</span>
                </td>
                <td>
                  <RuleState rule={r} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
