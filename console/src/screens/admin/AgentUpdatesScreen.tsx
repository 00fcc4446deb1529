import { AgentReleaseInput, AgentRolloutInput, releaseArches, releaseOses } from '@fixpoint/protocol';
import { agentUpdatesApi } from '../../api/agent-updates';
import type { MeT } from '../../api/resources';
import { ConfirmButton } from '../../components/ConfirmButton';
import { CreateForm, CreateHeader } from '../../components/CreateForm';
import { EmptyState } from '../../components/Feedback';
import { PageHeader } from '../../components/PageHeader';
import { Checkbox, SelectField, TextField } from '../../components/Fields';
import { ResourceTable } from '../../components/ResourceTable';
import { useAction } from '../../components/use-action';
import { useLoad } from '../../components/use-load';
import { hasPermission } from '../../lib/access';
import { errorFor } from '../../lib/form-errors';
import { formatDateTime } from '@fixpoint/protocol';
import { describeProgress, describeRings, parseRings, sha256Hex } from '../../lib/rollout-form';

export interface AgentUpdatesScreenProps {
  me: MeT;
}

const description = 'Releases signed with the update key, rolled out ring by ring; a ring moves on once its devices are back on the new version.';
const osOptions = releaseOses.map((value) => ({ value, label: value }));
const archOptions = releaseArches.map((value) => ({ value, label: value }));

/**
 * Agent versions across the fleet, releases (uploaded with the update key's signature made offline) and rollouts in
 * rings with their progress, pause and resume. Changing anything needs `agents:update`.
 */
export function AgentUpdatesScreen({ me }: AgentUpdatesScreenProps) {
  const fleet = useLoad(() => agentUpdatesApi.fleet().then((f) => ({ items: f.versions })), []);
  const rollouts = useLoad(() => agentUpdatesApi.rollouts(), []);
  const releases = useLoad(() => agentUpdatesApi.releases(), []);
  const reports = useLoad(() => agentUpdatesApi.reports(), []);
  const reload = () => {
    fleet.reload();
    rollouts.reload();
    releases.reload();
    reports.reload();
  };
  const action = useAction(reload);
  const mayUpdate = hasPermission(me, 'agents:update');
  return (
    <>
      {mayUpdate ? <CreateHeader
        title="Agent updates"
        description={description}
        newLabel="New rollout"
        form={(close) => (
          <CreateForm
            title="New rollout"
            submit="Start rollout"
            narrow
            initial={{ version: '', rings: 'canary → 10% → 100%', windowMin: '30' }}
            schema={AgentRolloutInput}
            toInput={(f) => ({ version: f.version.trim(), rings: parseRings(f.rings), windowSec: Math.round(Number(f.windowMin) * 60) })}
            onSubmit={async (input) => {
              await agentUpdatesApi.createRollout(input);
              reload();
            }}
            onClose={close}
          >
            {({ values, set, errors }) => (
              <>
                <TextField label="Version" value={values.version} error={errors.version} hint="An uploaded release, e.g. 0.2.0." onInput={(version) => set({ version })} />
                <TextField
                  label="Rings"
                  value={values.rings}
                  error={errorFor(errors, 'rings')}
                  hint="In order, separated by → or commas: a share of the devices (10%) or tags (canary, site:paris+dept:it)."
                  onInput={(rings) => set({ rings })}
                />
                <TextField
                  label="Window (minutes)"
                  type="number"
                  inputMode="numeric"
                  value={values.windowMin}
                  error={errors.windowSec}
                  hint="How long a ring's devices have to come back on the new version before the rollout pauses."
                  onInput={(windowMin) => set({ windowMin })}
                />
              </>
            )}
          </CreateForm>
        )}
      /> : <PageHeader title="Agent updates" description={description} />}
      <h2>Agent versions</h2>
      <ResourceTable
        load={fleet}
        caption="Agent versions across the fleet"
        columns={['Version', 'Devices', 'Online']}
        empty={<EmptyState title="No devices yet"><p>Enroll a device to see its agent version here.</p></EmptyState>}
        row={(v) => (
          <tr key={v.version}>
            <th scope="row">{v.version || 'unknown'}</th>
            <td>{v.devices}</td>
            <td>{v.online}</td>
          </tr>
        )}
      />
      <h2>Rollouts</h2>
      <ResourceTable
        load={rollouts}
        error={action.error}
        caption="Rollouts"
        columns={['Version', 'Rings', 'State', 'Progress', 'Started']}
        actions={mayUpdate}
        empty={<EmptyState title="No rollouts"><p>Upload a release, then start a rollout of its version.</p></EmptyState>}
        row={(r) => (
          <tr key={r.id}>
            <th scope="row">{r.version}</th>
            <td>{describeRings(r.rings)}</td>
            <td>
              {r.state}
              {r.pausedReason ? <div class="muted small">{r.pausedReason}</div> : null}
            </td>
            <td>{describeProgress(r)}</td>
            <td class="nowrap">
              {formatDateTime(r.createdAt)}
              <div class="muted small">{r.createdBy}</div>
            </td>
            {mayUpdate ? (
              <td class="actions">
                {r.state === 'running' ? (
                  <ConfirmButton
                    label="Pause"
                    name={`Pause the rollout of ${r.version}`}
                    question={`Pause the rollout of ${r.version}? No more devices are sent it until it is resumed.`}
                    onConfirm={() => action.run(() => agentUpdatesApi.pause(r.id), `Rollout of ${r.version} paused.`)}
                  />
                ) : null}
                {r.state === 'paused' ? (
                  <button type="button" class="button" onClick={() => action.run(() => agentUpdatesApi.resume(r.id), `Rollout of ${r.version} resumed.`)}>
                    Resume
                  </button>
                ) : null}
              </td>
            ) : null}
          </tr>
        )}
      />
      <h2>Releases</h2>
      {mayUpdate ? <UploadRelease onUploaded={reload} /> : null}
      <ResourceTable
        load={releases}
        caption="Releases"
        columns={['Version', 'Platform', 'Size', 'SHA-256', 'Uploaded']}
        empty={<EmptyState title="No releases"><p>Build with npm run build:agent and sign with npm run release:agent.</p></EmptyState>}
        row={(r) => (
          <tr key={r.id}>
            <th scope="row">
              {r.version}
              {r.rollback ? <div class="muted small">rollback</div> : null}
            </th>
            <td>
              {r.os}-{r.arch}
            </td>
            <td>{(r.size / 1024 / 1024).toFixed(1)} MiB</td>
            <td>
              <code>{r.sha256.slice(0, 16)}…</code>
            </td>
            <td class="nowrap">
              {r.uploadedAt ? formatDateTime(r.uploadedAt) : 'binary not uploaded'}
              <div class="muted small">{r.uploadedBy}</div>
            </td>
          </tr>
        )}
      />
      <h2>What devices reported</h2>
      <ResourceTable
        load={reports}
        caption="Update reports"
        columns={['Device', 'Version', 'Outcome', 'At']}
        empty={<EmptyState title="No reports yet"><p>Devices report refused, rolled back and finished updates here.</p></EmptyState>}
        row={(r) => (
          <tr key={r.id}>
            <th scope="row">
              <code>{r.deviceId.slice(0, 8)}</code>
            </th>
            <td>{r.version}</td>
            <td>
              {r.outcome.replace('_', ' ')}
              {r.reason ? ` (${r.reason})` : ''}
              <div class="muted small">{r.message}</div>
            </td>
            <td class="nowrap">{formatDateTime(r.at)}</td>
          </tr>
        )}
      />
    </>
  );
}

interface UploadReleaseProps {
  onUploaded: () => void;
}

/** Uploads a binary with the signature `npm run release:agent -- sign` printed; size and SHA-256 are read from the file. */
function UploadRelease({ onUploaded }: UploadReleaseProps) {
  let file: File | null = null;
  return (
    <CreateForm
      title="Upload a release"
      submit="Upload"
      initial={{ version: '', os: 'linux' as (typeof releaseOses)[number], arch: 'x64' as (typeof releaseArches)[number], signature: '', rollback: false, size: 0, sha256: '' }}
      schema={AgentReleaseInput}
      toInput={(f) => ({ version: f.version.trim(), os: f.os, arch: f.arch, size: f.size, sha256: f.sha256, signature: f.signature.trim(), rollback: f.rollback })}
      onSubmit={async (input) => {
        await agentUpdatesApi.upload(input, file!);
        onUploaded();
      }}
    >
      {({ values, set, errors }) => (
        <>
          <div class={`field${errors.sha256 || errors.size ? ' has-error' : ''}`}>
            <label for="release-file">Binary</label>
            <input
              id="release-file"
              type="file"
              onChange={async (event) => {
                file = (event.currentTarget as HTMLInputElement).files?.[0] ?? null;
                if (file) set({ size: file.size, sha256: await sha256Hex(file) });
              }}
            />
            {values.sha256 ? <p class="hint">SHA-256 {values.sha256}</p> : null}
          </div>
          <TextField label="Version" value={values.version} error={errors.version} onInput={(version) => set({ version })} />
          <SelectField label="OS" value={values.os} options={osOptions} onChange={(os) => set({ os })} />
          <SelectField label="Architecture" value={values.arch} options={archOptions} onChange={(arch) => set({ arch })} />
          <TextField
            label="Signature"
            value={values.signature}
            error={errors.signature}
            hint="The update key's signature, from npm run release:agent -- sign (the key never leaves your machine)."
            onInput={(signature) => set({ signature })}
          />
          <Checkbox label="Rollback release" checked={values.rollback} hint="Only a rollback may take devices to a lower version; it must be signed as one." onChange={(rollback) => set({ rollback })} />
        </>
      )}
    </CreateForm>
  );
}
