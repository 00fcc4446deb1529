import { limits } from '@fixpoint/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MeT } from '../../api/resources';
import { EmptyState, ErrorMessage } from '../../components/Feedback';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { QueryEditor } from '../../components/QueryEditor';
import { canAccess, hasPermission } from '../../lib/access';
import { presetFromSearch, toggleSelection } from '../../lib/selection';
import { pathFor } from '../../router/routes';
import {
  defaultDeviceQuery, deviceQueryError, deviceQueryFailure, deviceQueryRun, deviceQueryRunning, deviceQueryText, runDeviceQuery, selectDevices,
} from '../../stores/device-query';
import { location, setSearchParams } from '../../stores/router';
import { BulkLaunch } from './BulkLaunch';
import { QueryResults, type RowSelection } from './QueryResults';
import { SavedQueries } from './SavedQueries';
import { TagDevices } from './TagDevices';

export interface DevicesScreenProps {
  me: MeT;
}

const examples = [
  'devices | where online == true | sort last_seen desc',
  'devices | where platform == "windows" and disk.free_pct < 10',
  'devices | where tags contains "site:paris" | list name, os.version, last_seen',
  'devices | summarize count() by platform',
];

/**
 * Finds devices with the query language; results sort and page, link to each device, and can be selected (rows,
 * shift-click ranges, every result) to get an action or tags. A link with `?q=…&action=…&<param>=…` opens the
 * launch form on every result with the action and values filled in.
 */
export function DevicesScreen({ me }: DevicesScreenProps) {
  const fromUrl = location.value.search.get('q');
  const preset = presetFromSearch(location.value.search);
  const run = deviceQueryRun.value;
  // the devices the launch form is open for, or null when it is closed
  const [launchIds, setLaunchIds] = useState<string[] | null>(null);
  const [tagging, setTagging] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [anchor, setAnchor] = useState<string | null>(null);
  const [selectingAll, setSelectingAll] = useState(false);
  const [selectError, setSelectError] = useState<unknown>(null);
  const presetOpened = useRef(false);
  const canRun = hasPermission(me, 'actions:run');
  const canTag = hasPermission(me, 'devices:edit');

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
    setLaunchIds(null);
    setSearchParams({ q: text === defaultDeviceQuery ? undefined : text, action: undefined });
    void runDeviceQuery(text);
  };

  const ids = run && run.table === 'devices' && run.idColumn >= 0 ? [...new Set(run.result.rows.map((r) => String(r[run.idColumn])))] : [];
  // A new result starts a new selection; a link's action opens the launch form on every result, once.
  useEffect(() => {
    setSelected(new Set());
    setAnchor(null);
    setTagging(false);
    if (preset && run && !presetOpened.current && (!fromUrl || run.text === fromUrl) && ids.length) {
      presetOpened.current = true;
      setLaunchIds(ids);
    }
  }, [run]);

  /** Every device the query selects, not only the rows loaded (up to 10,000). */
  const selectAll = async () => {
    if (!run) return;
    if (!run.result.truncated) return setSelected(new Set(ids));
    setSelectingAll(true);
    setSelectError(null);
    const all = await selectDevices(run.text);
    setSelectingAll(false);
    if (all.ok) setSelected(new Set(all.ids));
    else setSelectError(all.failure ?? all.error?.error.message);
  };
  const selection: RowSelection = {
    selected,
    onToggle(id, range, ordered) {
      const next = toggleSelection(selected, ordered, anchor, id, range);
      setSelected(next.selected);
      setAnchor(next.anchor);
    },
    onTogglePage(pageIds, on) {
      const next = new Set(selected);
      for (const id of pageIds) if (on) next.add(id);
      else next.delete(id);
      setSelected(next);
    },
  };
  const count = (n: number) => `${n} ${n === 1 ? 'device' : 'devices'}`;
  const isFleetQuery = run?.text.trim() === defaultDeviceQuery || run?.text.trim() === 'devices';

  return (
    <>
      <PageHeader title="Devices" description="Find devices with the query language, open one, or select devices to run an action on or tag." />
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
      <SavedQueries
        current={deviceQueryText.value}
        canSave={canTag}
        onPick={(text) => {
          deviceQueryText.value = text;
          submit();
        }}
      />
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
            {canRun && ids.length > 0 && !launchIds ? (
              <button type="button" class="button" disabled={ids.length > limits.maxDevicesPerLaunch} onClick={() => setLaunchIds(ids)}>
                Run an action on all {count(ids.length)}
              </button>
            ) : null}
          </div>
          {ids.length > 0 ? (
            <div class="selection-bar" aria-label="Selection" role="group">
              <p class="muted" data-testid="selection-count">
                {selected.size ? `${count(selected.size)} selected` : 'No device selected'}
              </p>
              {selected.size < ids.length || run.result.truncated ? (
                <button type="button" class="button" disabled={selectingAll} onClick={() => void selectAll()}>
                  {run.result.truncated ? 'Select every result' : `Select all ${ids.length} results`}
                </button>
              ) : null}
              {selected.size ? (
                <>
                  <button type="button" class="button" onClick={() => setSelected(new Set())}>
                    Clear selection
                  </button>
                  {canRun ? (
                    <button type="button" class="button primary" disabled={selected.size > limits.maxDevicesPerLaunch} onClick={() => setLaunchIds([...selected])}>
                      Run an action on {count(selected.size)} selected
                    </button>
                  ) : null}
                  {canTag ? (
                    <button type="button" class="button" onClick={() => setTagging(true)}>
                      Tag {count(selected.size)}…
                    </button>
                  ) : null}
                </>
              ) : null}
            </div>
          ) : null}
          <ErrorMessage error={selectError} title="Could not select every result" />
          {launchIds ? <BulkLaunch key={launchIds.join()} me={me} deviceIds={launchIds} preset={preset} onCancel={() => setLaunchIds(null)} /> : null}
          {tagging && selected.size ? (
            <TagDevices
              deviceIds={[...selected]}
              onCancel={() => setTagging(false)}
              onDone={() => {
                setTagging(false);
                void runDeviceQuery(run.text);
              }}
            />
          ) : null}
          <QueryResults run={run} selection={ids.length ? selection : undefined} />
        </>
      ) : null}
    </>
  );
}
