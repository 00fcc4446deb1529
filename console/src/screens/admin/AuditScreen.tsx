import { formatDateTime, type AuditEntry } from '@fixpoint/protocol';
import { useEffect, useState } from 'preact/hooks';
import { auditApi, type AuditVerifyT } from '../../api/resources';
import { EmptyState, ErrorMessage, ListState } from '../../components/Feedback';
import { SelectField, TextField } from '../../components/Fields';
import { LabelName } from '../../components/LabelName';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../components/use-load';
import { actionVerb, auditObjectKinds, describeVerify, diffDetails, localInputToIso, previousDetails } from '../../lib/audit';
import { isLabel, kindLabel } from '../../lib/principals';
import { requestNames } from '../../stores/names';

interface AuditFilter {
  actor: string;
  action: string;
  targetType: string;
  target: string;
  from: string;
  to: string;
}

const noFilter: AuditFilter = { actor: '', action: '', targetType: '', target: '', from: '', to: '' };

/** The hash-chained audit log, newest first: who did what to which object and when, with filters and each change as a diff. */
export function AuditScreen() {
  const [form, setForm] = useState<AuditFilter>(noFilter);
  const [applied, setApplied] = useState({ ...noFilter, offset: 0 });
  const entries = useLoad(
    () =>
      auditApi.list({
        action: applied.action || undefined,
        actor: applied.actor || undefined,
        targetType: applied.targetType || undefined,
        target: applied.target || undefined,
        from: localInputToIso(applied.from),
        to: localInputToIso(applied.to),
        offset: applied.offset,
      }),
    [applied],
  );
  const items = entries.data?.items ?? [];
  useEffect(() => requestNames(items.flatMap((e) => [e.actor, e.target])), [entries.data]);
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
  const set = (patch: Partial<AuditFilter>) => setForm({ ...form, ...patch });
  const apply = (filter: AuditFilter) => {
    setForm(filter);
    setApplied({ ...filter, offset: 0 });
  };
  const filtered = Object.values(applied).some((v) => v !== '' && v !== 0);
  const previous = previousDetails(items);
  return (
    <>
      <PageHeader title="Audit log" description="Who did what to which object, and when: every change and every launch, in order. Each entry's hash covers the one before it, and each write is vouched for by a signed checkpoint.">
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
          apply({ ...form, action: form.action.trim(), actor: form.actor.trim(), target: form.target.trim() });
        }}
      >
        <TextField label="Actor" placeholder="user:ana@example.com" value={form.actor} onInput={(actor) => set({ actor })} />
        <TextField label="Action" placeholder="user.create or auth.*" value={form.action} onInput={(action) => set({ action })} />
        <SelectField
          label="Object type"
          value={form.targetType}
          options={[{ value: '', label: 'Any object' }, ...auditObjectKinds.map((k) => ({ value: k, label: kindLabel(k) }))]}
          onChange={(targetType) => set({ targetType, target: '' })}
        />
        <TextField label="From" type="datetime-local" value={form.from} onInput={(from) => set({ from })} />
        <TextField label="To" type="datetime-local" value={form.to} onInput={(to) => set({ to })} />
        <button type="submit" class="button">
          Filter
        </button>
        {filtered ? (
          <button type="button" class="button" onClick={() => apply(noFilter)}>
            Show all entries
          </button>
        ) : null}
      </form>
      {applied.target ? (
        <p class="muted">
          History of <LabelName label={applied.target} /> only.
        </p>
      ) : null}
      <ListState load={entries}>
        <EmptyState title="No entries">Nothing matches these filters. Clear them to see every entry.</EmptyState>
      </ListState>
      {entries.data && items.length > 0 ? (
        <>
          <table class="table audit">
            <caption class="visually-hidden">Audit entries: who did what to which object, when</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Did</th>
                <th scope="col">Object</th>
                <th scope="col">Details (changes since the previous entry about the object)</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <AuditRow key={e.seq} entry={e} previous={previous.get(e.seq) ?? null} onObject={(target) => apply({ ...noFilter, target })} />
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
              {applied.offset + 1}–{applied.offset + items.length} of {entries.data.total}
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

interface AuditRowProps {
  entry: AuditEntry;
  previous: Record<string, unknown> | null;
  onObject: (target: string) => void;
}

function AuditRow({ entry: e, previous, onObject }: AuditRowProps) {
  const changes = diffDetails(e.details, previous);
  const unchanged = changes.filter((c) => c.kind === 'same').length;
  return (
    <tr>
      <td class="nowrap">
        {formatDateTime(e.at)}
        <div class="muted small">#{e.seq}</div>
      </td>
      <td class="who">
        <LabelName label={e.actor} />
      </td>
      <th scope="row">
        {actionVerb(e.action)}
        <div class="muted small">
          <code>{e.action}</code>
        </div>
      </th>
      <td class="object">
        {e.target ? (
          <button type="button" class="object-link" title="Show this object's history" onClick={() => onObject(e.target!)}>
            <LabelName label={e.target} />
          </button>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
      <td class="details">
        {changes.length === 0 ? <span class="muted small">no details</span> : null}
        <ul class="detail-diff">
          {changes
            .filter((c) => c.kind !== 'same')
            .map((c) => (
              <li key={c.key} class={`detail-${c.kind}`}>
                <span class="detail-key">{c.key}</span>{' '}
                {c.kind === 'changed' ? (
                  <>
                    <del>
                      <DetailValue text={c.before!} />
                    </del>{' '}
                    <span aria-hidden="true">→</span>{' '}
                    <ins>
                      <DetailValue text={c.after!} />
                    </ins>
                  </>
                ) : (
                  <DetailValue text={c.after!} />
                )}
              </li>
            ))}
        </ul>
        {unchanged ? <div class="muted small">{unchanged === 1 ? '1 value' : `${unchanged} values`} unchanged</div> : null}
      </td>
    </tr>
  );
}

/** A detail value; one that is a label (`owner: user:ana@…`) reads as a name. */
function DetailValue({ text }: { text: string }) {
  return isLabel(text) ? <LabelName label={text} /> : <span>{text}</span>;
}
