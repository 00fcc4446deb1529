import { useState } from 'preact/hooks';
import { formatDateTime, type ApprovalQueueItem } from '@fixpoint/protocol';
import { actionsApi, type MeT } from '../../api/resources';
import { ErrorMessage, EmptyState, ListState } from '../../components/Feedback';
import { LabelName } from '../../components/LabelName';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../components/use-load';
import { declarationLines, reviewOf } from '../../lib/approvals';
import { pathFor } from '../../router/routes';
import { showNotice } from '../../stores/notice';
import { DiffView } from './DiffView';

export interface ApprovalsScreenProps {
  me: MeT;
}

/**
 * The approvals queue: every action version awaiting a four-eyes review, with what changed since the last approved
 * version of the action, and Approve / Reject for reviewers other than its author.
 */
export function ApprovalsScreen({ me }: ApprovalsScreenProps) {
  const queue = useLoad(() => actionsApi.approvals(), []);
  return (
    <>
      <PageHeader
        title="Approvals"
        description="New action versions run only by hand on a few devices until someone other than their author approves them."
      />
      <ListState load={queue}>
        <EmptyState title="Nothing awaits approval">Every saved action version has been reviewed.</EmptyState>
      </ListState>
      {queue.data?.items.map((item) => <ApprovalItem key={item.version.id} me={me} item={item} onReviewed={queue.reload} />)}
    </>
  );
}

export interface ApprovalItemProps {
  me: MeT;
  item: ApprovalQueueItem;
  /** Called after a review was recorded, to reload the queue. */
  onReviewed: () => void;
}

const changeWords = { added: 'added', removed: 'removed', changed: 'changed' } as const;

export function ApprovalItem({ me, item, onReviewed }: ApprovalItemProps) {
  const { action, version, baseline, changes } = item;
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const review = reviewOf(me, item);
  const titleId = `approval-${version.id}`;
  const from = baseline ? `v${baseline.version}` : 'nothing approved';
  const to = `v${version.version}`;
  const declarations = declarationLines(changes);

  const decide = async (verb: 'approve' | 'reject') => {
    setBusy(true);
    setError(null);
    try {
      if (verb === 'approve') await actionsApi.approve(action.slug, version.version);
      else await actionsApi.reject(action.slug, version.version, reason.trim());
      showNotice(`Version ${version.version} of ${action.name} ${verb === 'approve' ? 'approved' : 'rejected'}.`);
      onReviewed();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <article class="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>
        {action.name} version {version.version}
        {item.latest ? null : <span class="badge">superseded</span>}
      </h2>
      <p class="muted small">
        Written by <LabelName label={version.createdBy} /> on {formatDateTime(version.createdAt)}.{' '}
        {baseline ? (
          <>
            Compared with version {baseline.version}
            {baseline.approval.by ? (
              <>
                , approved by <LabelName label={baseline.approval.by} />
              </>
            ) : null}
            .
          </>
        ) : (
          'No version of this action was approved before: everything is new.'
        )}{' '}
        <Link href={pathFor('action-history', { slug: action.slug })}>Version history</Link>
      </p>
      {changes.settings.length > 0 ? (
        <table class="table">
          <caption>Settings changed</caption>
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {changes.settings.map((s) => (
              <tr key={s.field}>
                <th scope="row">{s.field}</th>
                <td>{s.before}</td>
                <td>{s.after}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {declarations.length > 0 ? (
        <>
          <h3>Parameters and outputs</h3>
          <ul>
            {declarations.map((d, i) => (
              <li key={i}>
                <strong>{changeWords[d.change]}: </strong>
                {d.change === 'changed' ? (
                  <>
                    <code>{d.before}</code> → <code>{d.after}</code>
                  </>
                ) : (
                  <code>{d.after ?? d.before}</code>
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {changes.scripts.map((s) => (
        <section key={s.platform} aria-label={`${s.platform} script of version ${version.version}`}>
          <h3>
            {s.platform} script ({changeWords[s.change]}
            {s.shellBefore && s.shellAfter && s.shellBefore !== s.shellAfter ? `, ${s.shellBefore} → ${s.shellAfter}` : ''}, {s.added} added, {s.deleted}{' '}
            removed)
          </h3>
          <DiffView hunks={s.hunks} from={from} to={to} />
        </section>
      ))}
      {changes.scripts.length === 0 ? <p class="muted small">No script changed.</p> : null}
      <ErrorMessage error={error} title="Could not record the review" />
      {review.may ? (
        <div class="review">
          <button type="button" class="button primary" disabled={busy} onClick={() => void decide('approve')}>
            Approve version {version.version}
          </button>
          <div class="field">
            <label for={`reason-${version.id}`}>Reason for rejecting version {version.version}</label>
            <input id={`reason-${version.id}`} type="text" value={reason} maxLength={1000} onInput={(e) => setReason(e.currentTarget.value)} />
          </div>
          <button type="button" class="button" disabled={busy || reason.trim() === ''} onClick={() => void decide('reject')}>
            Reject version {version.version}
          </button>
        </div>
      ) : (
        <p class="alert alert-info review-note">{review.why}</p>
      )}
    </article>
  );
}
