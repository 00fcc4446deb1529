import { executionStatuses, executionTriggers, neutralOutcomes } from '@fixpoint/protocol';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { devicesApi, settingsApi } from '../../api/operate';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback';
import { SelectField, TextField } from '../../components/Fields';
import { Link } from '../../components/Link';
import { LiveMark } from '../../components/LiveMark';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../components/use-load';
import { neutralLabels } from '../../lib/detection-outcomes';
import { filterFromSearch } from '../../lib/executions';
import { describeRetention } from '../../lib/retention';
import { pathFor } from '../../router/routes';
import { createLiveExecutions } from '../../stores/live-executions';
import { location, setSearchParams } from '../../stores/router';
import { ExecutionTable } from './ExecutionTable';

const pageSize = 50;

/** Every execution the caller may see, newest first, filtered, and kept current by live status events. */
export function ExecutionsScreen() {
  const search = location.value.search;
  const filter = filterFromSearch(search);
  const offset = Math.max(0, Number(search.get('offset')) || 0);
  const key = JSON.stringify([filter, offset]);
  const list = useMemo(() => createLiveExecutions({ filter, offset, limit: pageSize }), [key]);
  useEffect(() => () => list.dispose(), [list]);
  const [action, setAction] = useState(filter.action ?? '');
  useEffect(() => setAction(filter.action ?? ''), [filter.action]);
  const settings = useLoad(() => settingsApi.get(), []);
  const device = useLoad(() => (filter.deviceId ? devicesApi.get(filter.deviceId) : Promise.resolve(null)), [filter.deviceId]);
  const page = list.page.value;
  const filtered = Boolean(filter.status || filter.outcome || filter.action || filter.deviceId || filter.trigger);

  return (
    <>
      <PageHeader
        title="Executions"
        description={
          <>
            Every run of an action on a device, newest first. Statuses change here as devices report them.
            {settings.data ? <span> {describeRetention(settings.data.retention)}</span> : null}
          </>
        }
      >
        <LiveMark state={list.live.value} />
      </PageHeader>
      <form
        class="filters"
        role="search"
        aria-label="Filter executions"
        onSubmit={(e) => {
          e.preventDefault();
          setSearchParams({ action: action.trim() || undefined, offset: undefined });
        }}
      >
        <SelectField
          label="Status"
          value={filter.outcome ? `neutral:${filter.outcome}` : (filter.status ?? '')}
          options={[
            { value: '', label: 'Any status' },
            ...executionStatuses.map((s) => ({ value: s, label: s.replace('_', ' ') })),
            // neutral self-help outcomes are their own choice: their runs are failed with a neutral exit code
            ...neutralOutcomes.map((o) => ({ value: `neutral:${o}`, label: `${neutralLabels[o]} (neutral)` })),
          ]}
          onChange={(v) => {
            const outcome = v.startsWith('neutral:') ? v.slice('neutral:'.length) : undefined;
            setSearchParams({ status: outcome ? undefined : v || undefined, outcome, offset: undefined });
          }}
        />
        <SelectField
          label="Trigger"
          value={filter.trigger ?? ''}
          options={[{ value: '', label: 'Any trigger' }, ...executionTriggers.map((t) => ({ value: t, label: t }))]}
          onChange={(v) => setSearchParams({ trigger: v || undefined, offset: undefined })}
        />
        <TextField label="Action" placeholder="Slug, e.g. restart-spooler" value={action} onInput={setAction} />
        <button type="submit" class="button">
          Filter
        </button>
        {filter.deviceId ? (
          <p class="chip">
            Device: {device.data?.name ?? filter.deviceId}
            <button type="button" class="link-button" aria-label="Show executions on every device" onClick={() => setSearchParams({ device: undefined, offset: undefined })}>
              ×
            </button>
          </p>
        ) : null}
      </form>
      <ErrorMessage error={list.error.value} title="Could not load the executions" />
      {!page && !list.error.value ? <Loading /> : null}
      {page && page.items.length === 0 ? (
        filtered ? (
          <EmptyState title="No matching executions">
            <p>Nothing matches these filters. Clear them to see every execution.</p>
          </EmptyState>
        ) : (
          <EmptyState title="Nothing has run yet">
            <p>
              Launch an action from a <Link href={pathFor('devices')}>device</Link>, from a device query (“Run an action on all devices”), with a schedule or a
              detection rule. Runs show up here as they happen.
            </p>
          </EmptyState>
        )
      ) : null}
      {page && page.items.length > 0 ? (
        <>
          <ExecutionTable items={page.items} caption={`Executions ${offset + 1} to ${offset + page.items.length} of ${page.total}`} />
          <nav class="pager" aria-label="Execution pages">
            <button type="button" class="button" disabled={offset === 0} onClick={() => setSearchParams({ offset: offset > pageSize ? String(offset - pageSize) : undefined })}>
              Newer
            </button>
            <span class="muted">
              {offset + 1}–{offset + page.items.length} of {page.total}
            </span>
            <button type="button" class="button" disabled={page.next === null} onClick={() => setSearchParams({ offset: String(page.next) })}>
              Older
            </button>
          </nav>
        </>
      ) : null}
    </>
  );
}
