import { useEffect, useState } from 'preact/hooks';
import { actionsApi, type ActionVersion, type MeT } from '../../api/resources';
import { hasPermission } from '../../lib/access';
import { approvalLabels } from '../../lib/approvals';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../components/use-load';
import { countChanges, diffLines, formatDateTime, toHunks } from '@fixpoint/protocol';
import { versionLines } from '../../lib/version-text';
import { pathFor } from '../../router/routes';
import { DiffView } from './DiffView';
import { LabelName } from '../../components/LabelName';

export interface ActionHistoryProps {
  me: MeT;
  slug: string;
}

/**
 * Every version of an action, newest first, with its approval state, and a line diff between any two of them.
 * Reviewers (`actions:approve`) approve or reject the compared version, which starts compared with the last approved one.
 */
export function ActionHistory({ me, slug }: ActionHistoryProps) {
  const canApprove = hasPermission(me, 'actions:approve');
  const myLabel = me.kind === 'user' ? `user:${me.email}` : null;
  const [reason, setReason] = useState('');
  const [reviewError, setReviewError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const versions = useLoad(() => actionsApi.versions(slug), [slug]);
  const items = versions.data?.items ?? [];
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [pair, setPair] = useState<[ActionVersion, ActionVersion] | null>(null);
  const [diffError, setDiffError] = useState<unknown>(null);

  // Start by comparing the latest version with the last approved one before it (or the one before it).
  useEffect(() => {
    if (items.length === 0 || to !== null) return;
    setTo(items[0]!.version);
    const approved = items.slice(1).find((v) => v.approval.state === 'approved');
    setFrom(approved?.version ?? items[1]?.version ?? items[0]!.version);
  }, [items.length]);

  const review = async (verb: 'approve' | 'reject', version: number) => {
    setBusy(true);
    setReviewError(null);
    try {
      if (verb === 'approve') await actionsApi.approve(slug, version);
      else await actionsApi.reject(slug, version, reason.trim());
      setReason('');
      versions.reload();
      setPair(null);
      if (from !== null) Promise.all([actionsApi.version(slug, from), actionsApi.version(slug, version)]).then((p) => setPair(p), setDiffError);
    } catch (error) {
      setReviewError(error);
    } finally {
      setBusy(false);
    }
  };
  const reviewed = pair?.[1];
  const mayReview = reviewed !== undefined && canApprove && reviewed.approval.state === 'unapproved' && reviewed.createdBy !== myLabel;

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
              <th scope="col">Approval</th>
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
                <td>
                  {approvalLabels[v.approval.state]}
                  {v.approval.by && v.approval.state !== 'unapproved' ? (
                    <span class="muted small">
                      {' '}
                      by <LabelName label={v.approval.by} />
                    </span>
                  ) : null}
                  {v.approval.reason ? <div class="muted small">{v.approval.reason}</div> : null}
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
          <DiffView hunks={toHunks(diff)} from={`v${pair[0].version}`} to={`v${pair[1].version}`} />
        </section>
      ) : null}
      {reviewed && mayReview ? (
        <section aria-labelledby="review-title" class="panel">
          <h2 id="review-title">Review version {reviewed.version}</h2>
          <p class="muted small">
            Written by <LabelName label={reviewed.createdBy} />. Until someone other than its author approves it, it runs only by hand on a few
            devices; approving signs its scripts with the organization's publisher key.
          </p>
          <ErrorMessage error={reviewError} title="Could not record the review" />
          <button type="button" class="button primary" disabled={busy} onClick={() => void review('approve', reviewed.version)}>
            Approve version {reviewed.version}
          </button>
          <div class="field">
            <label for="reject-reason">Reason for rejecting</label>
            <input id="reject-reason" type="text" value={reason} maxLength={1000} onInput={(e) => setReason(e.currentTarget.value)} />
          </div>
          <button type="button" class="button" disabled={busy || reason.trim() === ''} onClick={() => void review('reject', reviewed.version)}>
            Reject version {reviewed.version}
          </button>
        </section>
      ) : null}
    </>
  );
}
