import { useState } from 'preact/hooks';
import { auditApi, type AuditVerifyT } from '../../api/resources';
import { EmptyState, ErrorMessage, ListState } from '../../components/Feedback';
import { TextField } from '../../components/Fields';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../components/use-load';
import { describeVerify } from '../../lib/audit';
import { describeDetails, formatDateTime } from '../../lib/format';

/** The hash-chained audit log, newest first, with filters and a check that nobody altered it. */
export function AuditScreen() {
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [applied, setApplied] = useState({ action: '', actor: '', offset: 0 });
  const entries = useLoad(
    () => auditApi.list({ action: applied.action || undefined, actor: applied.actor || undefined, offset: applied.offset }),
    [applied],
  );
  const [verify, setVerify] = useState<AuditVerifyT | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const [verifying, setVerifying] = useState(false);
  const runVerify = async () => {
    setVerifying(true);
    setVerifyError(null);
    try {
      setVerify(await auditApi.verify());
    } catch (e) {
      setVerifyError(e);
    } finally {
      setVerifying(false);
    }
  };
  return (
    <>
      <PageHeader title="Audit log" description="Every change and every launch, in order. Each entry's hash covers the one before it, and each write is vouched for by a signed checkpoint.">
        <button type="button" class="button" onClick={runVerify} disabled={verifying}>
          {verifying ? 'Checking…' : 'Verify the chain'}
        </button>
      </PageHeader>
      <ErrorMessage error={verifyError} title="Could not verify" />
      {verify ? (
        <div class={`alert ${verify.ok ? 'alert-success' : 'alert-error'}`} role="status" data-testid="audit-verify">
          {describeVerify(verify).map((line) => (
            <div key={line}>{line}</div>
          ))}
        </div>
      ) : null}
      <form
        class="filters"
        role="search"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ action: action.trim(), actor: actor.trim(), offset: 0 });
        }}
      >
        <TextField label="Action" placeholder="user.create or auth.*" value={action} onInput={setAction} />
        <TextField label="Actor" placeholder="user:ana@example.com" value={actor} onInput={setActor} />
        <button type="submit" class="button">
          Filter
        </button>
      </form>
      <ListState load={entries}>
        <EmptyState title="No entries">Nothing matches these filters. Clear them to see every entry.</EmptyState>
      </ListState>
      {entries.data && entries.data.items.length > 0 ? (
        <>
          <table class="table audit">
            <caption class="visually-hidden">Audit entries</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.data.items.map((e) => (
                <tr key={e.seq}>
                  <td>{e.seq}</td>
                  <td class="nowrap">{formatDateTime(e.at)}</td>
                  <td>{e.actor}</td>
                  <th scope="row">{e.action}</th>
                  <td class="wrap">{e.target ?? ''}</td>
                  <td class="details">
                    {describeDetails(e.details).map((line) => (
                      <div key={line} class="small">
                        {line}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="pager">
            <button
              type="button"
              class="button"
              disabled={applied.offset === 0}
              onClick={() => setApplied({ ...applied, offset: Math.max(0, applied.offset - 50) })}
            >
              Newer
            </button>
            <span class="muted">
              {applied.offset + 1}–{applied.offset + entries.data.items.length} of {entries.data.total}
            </span>
            <button
              type="button"
              class="button"
              disabled={entries.data.next === null}
              onClick={() => setApplied({ ...applied, offset: entries.data!.next ?? applied.offset })}
            >
              Older
            </button>
          </div>
        </>
      ) : null}
    </>
  );
}
