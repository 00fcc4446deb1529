import { useEffect, useMemo, useState } from 'preact/hooks';
import { createConsoleLauncherApi } from '../../api/launcher-http';
import { devicesApi } from '../../api/operate';
import { actionsApi } from '../../api/resources';
import type { MeT } from '../../api/resources';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback';
import { TextField } from '../../components/Fields';
import { LauncherHost } from '../../components/LauncherHost';
import { LiveMark } from '../../components/LiveMark';
import { Link } from '../../components/Link';
import { PageHeader } from '../../components/PageHeader';
import { useLoad } from '../../components/use-load';
import { hasPermission } from '../../lib/access';
import { flattenFacts, outputActions, outputRows, outputTypes, type FactTable } from '../../lib/device-fields';
import { formatDateTime } from '@fixpoint/protocol';
import { splitList } from '../../lib/format';
import { presetFromSearch } from '../../lib/selection';
import { showNotice } from '../../stores/notice';
import { location } from '../../stores/router';
import { pathFor } from '../../router/routes';
import { createLiveExecutions } from '../../stores/live-executions';
import { ExecutionTable } from '../executions/ExecutionTable';
import { DeviceResponses } from './DeviceResponses';

export interface DeviceViewProps {
  me: MeT;
  id: string;
}

export interface DeviceTagsProps {
  tags: string[];
  onSave: (tags: string[]) => Promise<void>;
}

/** The device's tags (its categories), edited as one comma-separated list. */
export function DeviceTags({ tags, onSave }: DeviceTagsProps) {
  const [text, setText] = useState(tags.join(', '));
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setText(tags.join(', ')), [tags.join()]);
  const save = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await onSave(splitList(text));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form class="panel" aria-label="Device tags" onSubmit={save}>
      <h2>Tags</h2>
      <ErrorMessage error={error} title="Could not save the tags" />
      <div class="tag-editor">
        <TextField label="Tags" value={text} hint="Comma-separated, e.g. site:paris, vip. Roles and saved queries use them." onInput={setText} />
        <button type="submit" class="button">
          Save tags
        </button>
      </div>
    </form>
  );
}

/**
 * One device: facts, latest outputs, live execution history, campaign responses, and the launcher panel. A link
 * with `?action=<slug>&<param>=<value>` opens the panel on that action with the values filled in.
 */
export function DeviceView({ me, id }: DeviceViewProps) {
  const preset = presetFromSearch(location.value.search);
  const device = useLoad(() => devicesApi.get(id), [id]);
  const history = useMemo(() => createLiveExecutions({ filter: { deviceId: id }, limit: 20 }), [id]);
  useEffect(() => () => history.dispose(), [history]);
  const d = device.data;
  // Outputs change when executions finish: read the device again then.
  const finished = history.page.value?.items.filter((e) => e.finishedAt).length ?? 0;
  useEffect(() => {
    if (finished && d) devicesApi.get(id).then(device.set, () => undefined);
  }, [finished]);
  // The declared output types (and names) of the actions that reported here, so values read as in the launcher.
  const slugs = d ? outputActions(d.outputs).join(',') : '';
  const actions = useLoad(
    () => Promise.all(slugs.split(',').filter(Boolean).map((slug) => actionsApi.get(slug).catch(() => null))).then((list) => list.filter((a) => a !== null)),
    [slugs],
  );
  const api = useMemo(() => (d ? createConsoleLauncherApi({ me, device: d }) : null), [d?.id, me.id]);

  if (device.error) return <ErrorMessage error={device.error} title="Could not load the device" />;
  if (!d) return <Loading />;
  const facts = flattenFacts(d.facts);
  const outputs = outputRows(d.outputs, { ...outputTypes(actions.data ?? []), ...d.outputTypes });
  const actionNames = new Map((actions.data ?? []).map((a) => [a.slug, a.name]));
  return (
    <>
      <PageHeader
        title={d.name}
        description={
          <>
            <span class={`status-badge ${d.online ? 'tone-done' : 'tone-off'}`}>{d.online ? 'online' : 'offline'}</span> {d.platform} {d.osVersion} · agent{' '}
            {d.agentVersion} · last seen {formatDateTime(d.lastSeen) || 'never'} · enrolled {formatDateTime(d.enrolledAt)}
            {d.tags.map((t) => (
              <span key={t} class="badge">
                {t}
              </span>
            ))}
          </>
        }
      >
        <Link class="button" href={`${pathFor('executions')}?device=${encodeURIComponent(d.id)}`}>
          All executions
        </Link>
      </PageHeader>
      <div class="device-layout">
        <div class="device-main">
          <section class="panel" aria-labelledby="outputs-title">
            <h2 id="outputs-title">Latest outputs</h2>
            {outputs.length === 0 ? (
              <p class="muted">No action has reported outputs for this device yet. Run an action that declares outputs, or schedule one.</p>
            ) : (
              <table class="table compact" data-testid="device-outputs">
                <caption class="visually-hidden">Latest output of each action</caption>
                <thead>
                  <tr>
                    <th scope="col">Action</th>
                    <th scope="col">Output</th>
                    <th scope="col">Value</th>
                  </tr>
                </thead>
                <tbody>
                  {outputs.map((o) => (
                    <tr key={`${o.action}.${o.output}`}>
                      <td>
                        <Link href={pathFor('action', { slug: o.action })}>{actionNames.get(o.action) ?? o.action}</Link>
                      </td>
                      <th scope="row" title={`Query field: ${o.field}`}>
                        {o.output}
                      </th>
                      <td class="wrap">{o.value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">
              Execution history <LiveMark state={history.live.value} />
            </h2>
            <ErrorMessage error={history.error.value} />
            {history.page.value && history.page.value.items.length === 0 ? (
              <p class="muted">Nothing has run on this device yet.</p>
            ) : null}
            {history.page.value && history.page.value.items.length > 0 ? <ExecutionTable items={history.page.value.items} hideDevice caption="Latest executions on this device" /> : null}
          </section>
          {hasPermission(me, 'devices:edit') ? (
            <DeviceTags
              tags={d.tags}
              onSave={async (tags) => {
                device.set(await devicesApi.setTags(d.id, tags));
                showNotice(`Tags of ${d.name} saved.`);
              }}
            />
          ) : null}
          {hasPermission(me, 'campaigns:edit') ? <DeviceResponses deviceId={d.id} /> : null}
          <section class="panel" aria-labelledby="facts-title">
            <h2 id="facts-title">Facts</h2>
            {facts.length === 0 ? (
              <EmptyState title="No facts">The agent has not reported facts for this device yet.</EmptyState>
            ) : (
              <dl class="facts">
                {facts.map((f) => (
                  <div key={f.path} class={f.table ? 'fact-table' : undefined}>
                    <dt>{f.path}</dt>
                    <dd>{f.table ? <FactTableView name={f.path} table={f.table} /> : f.text}</dd>
                  </div>
                ))}
              </dl>
            )}
          </section>
        </div>
        {api && hasPermission(me, 'actions:run') ? (
          <aside class="device-side" aria-label="Run an action">
            <LauncherHost api={api} deviceHint={d.name} contextLabel="Run an action" preset={preset} />
          </aside>
        ) : null}
      </div>
    </>
  );
}

function FactTableView({ name, table }: { name: string; table: FactTable }) {
  return (
    <div class="table-scroll">
      <table class="table compact" data-testid={`fact-${name}`}>
        <caption class="visually-hidden">{name}</caption>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td key={table.columns[j]}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
