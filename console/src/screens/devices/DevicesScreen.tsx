import { limits } from '@fixpoint/protocol';
import { useEffect, useState } from 'preact/hooks';
import type { MeT } from '../../api/resources';
import { EmptyState, ErrorMessage } from '../../components/Feedback';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { QueryEditor } from '../../components/QueryEditor';
import { canAccess, hasPermission } from '../../lib/access';
import { pathFor } from '../../router/routes';
import {
  defaultDeviceQuery, deviceQueryError, deviceQueryFailure, deviceQueryRun, deviceQueryRunning, deviceQueryText, runDeviceQuery,
} from '../../stores/device-query';
import { location, setSearchParams } from '../../stores/router';
import { BulkLaunch } from './BulkLaunch';
import { QueryResults } from './QueryResults';

export interface DevicesScreenProps {
  me: MeT;
}

const examples = [
  'devices | where online == true | sort last_seen desc',
  'devices | where platform == "windows" and disk.free_pct < 10',
  'devices | where tags contains "site:paris" | list name, os.version, last_seen',
  'devices | summarize count() by platform',
];

/** Finds devices with the query language; results sort and page, link to each device, and can all get an action. */
export function DevicesScreen({ me }: DevicesScreenProps) {
  const fromUrl = location.value.search.get('q');
  const run = deviceQueryRun.value;
  const [launching, setLaunching] = useState(false);
  const canRun = hasPermission(me, 'actions:run');

  useEffect(() => {
    // A link with ?q= runs that query; otherwise the last results stay, or the default query runs once.
    if (fromUrl && fromUrl !== run?.text) {
      deviceQueryText.value = fromUrl;
      void runDeviceQuery(fromUrl);
    } else if (!run && !deviceQueryRunning.value) void runDeviceQuery(deviceQueryText.value);
  }, [fromUrl]);

  const submit = () => {
    const text = deviceQueryText.value.trim();
    if (!text) return;
    setLaunching(false);
    setSearchParams({ q: text === defaultDeviceQuery ? undefined : text });
    void runDeviceQuery(text);
  };

  const ids = run && run.table === 'devices' && run.idColumn >= 0 ? [...new Set(run.result.rows.map((r) => String(r[run.idColumn])))] : [];
  const isFleetQuery = run?.text.trim() === defaultDeviceQuery || run?.text.trim() === 'devices';

  return (
    <>
      <PageHeader title="Devices" description="Find devices with the query language, open one, or run an action on every result." />
      <form
        class="panel query-panel"
        role="search"
        aria-label="Device query"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <QueryEditor
          label="Query"
          value={deviceQueryText.value}
          onInput={(v) => (deviceQueryText.value = v)}
          onRun={submit}
          error={deviceQueryError.value}
          hint="devices | where <condition> | list <fields> | sort <field> desc | limit <n>. Ctrl+Enter runs it."
        />
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={deviceQueryRunning.value}>
            {deviceQueryRunning.value ? 'Running…' : 'Run query'}
          </button>
          <details class="examples">
            <summary>Examples</summary>
            <ul>
              {examples.map((q) => (
                <li key={q}>
                  <button type="button" class="link-like" onClick={() => (deviceQueryText.value = q)}>
                    <code>{q}</code>
                  </button>
                </li>
              ))}
            </ul>
          </details>
        </div>
      </form>
      <ErrorMessage error={deviceQueryFailure.value} title="The query could not run" />
      {run && run.result.rows.length === 0 ? (
        isFleetQuery ? (
          <EmptyState title="No devices yet">
            <p>
              Devices appear here once their agent enrolls.{' '}
              {canAccess(me, 'admin') ? (
                <>
                  Create an <Link href={pathFor('enrollment-tokens')}>enrollment token</Link> and run <code>fixpoint-agent enroll</code> on a device with it.
                </>
              ) : (
                'Ask an administrator for an enrollment token, or to add devices to your role’s scope.'
              )}
            </p>
          </EmptyState>
        ) : (
          <EmptyState title="No device matches">
            <p>Nothing in your scope matches this query. Loosen the conditions, or check field names in the examples.</p>
          </EmptyState>
        )
      ) : null}
      {run && run.result.rows.length > 0 ? (
        <>
          <div class="results-bar">
            <p class="muted" role="status">
              {deviceQueryError.value ? 'The query above did not run; these are the results of the one before: ' : ''}
              {run.result.rows.length} {run.result.rows.length === 1 ? 'row' : 'rows'}
              {run.result.truncated ? ' (more matched: narrow the query or add a limit)' : ''} in {Math.round(run.result.elapsedMs)} ms
            </p>
            {canRun && ids.length > 0 && !launching ? (
              <button type="button" class="button" disabled={ids.length > limits.maxDevicesPerLaunch} onClick={() => setLaunching(true)}>
                Run an action on all {ids.length} {ids.length === 1 ? 'device' : 'devices'}
              </button>
            ) : null}
          </div>
          {launching ? <BulkLaunch me={me} deviceIds={ids} onCancel={() => setLaunching(false)} /> : null}
          <QueryResults run={run} />
        </>
      ) : null}
    </>
  );
}
