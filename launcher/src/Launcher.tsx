/**
 * @module
 * The launcher panel: find the ticket's device, pick an action the agent may run, fill its parameters, launch,
 * follow the status and use the result. Host-agnostic: the host passes an `api` (extension messages or console HTTP)
 * and optional copy/insert callbacks; the panel uses no browser or extension API itself.
 */
import { useEffect, useId, useMemo } from 'preact/hooks';
import type { InsertOutcome, LauncherApi } from './launcher-api';
import { createLauncherStore, type LauncherPreset } from './launcher-store';
import { ActionPicker } from './ActionPicker';
import { DeviceCard } from './DeviceCard';
import { DevicePicker } from './DevicePicker';
import { ParameterForm } from './ParameterForm';
import { RunView } from './RunView';

export interface LauncherProps {
  api: LauncherApi;
  /** Device name read from the page; looked up at once, and again whenever it changes. */
  deviceHint?: string;
  /** Which launch trigger this host represents; actions whose version does not allow it cannot be launched. */
  trigger?: 'extension' | 'manual';
  /** Shown under the title, e.g. the ticket number. */
  contextLabel?: string;
  onCopy?: (text: string) => Promise<void>;
  onInsertSummary?: (text: string) => InsertOutcome | Promise<InsertOutcome>;
  onClose?: () => void;
  /** An action and parameter values to open with once the device is found; the user still presses Launch. */
  preset?: LauncherPreset;
}

export function Launcher({ api, deviceHint, trigger = 'extension', contextLabel, onCopy, onInsertSummary, onClose, preset }: LauncherProps) {
  const store = useMemo(() => createLauncherStore(api, { trigger }), [api, trigger]);
  const idPrefix = `fp${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  useEffect(() => () => store.dispose(), [store]);
  const presetKey = preset ? JSON.stringify(preset) : '';
  useEffect(() => store.reset(deviceHint, preset), [store, deviceHint, presetKey]);

  const device = store.device.value;
  const action = store.action.value;
  const run = store.run.value;
  return (
    <div
      class="fp-launcher"
      role="region"
      aria-labelledby={`${idPrefix}-title`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && onClose) {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div class="fp-row">
        <h2 id={`${idPrefix}-title`}>Fixpoint</h2>
        {contextLabel && <span class="fp-muted">{contextLabel}</span>}
        <span style="flex:1" />
        {onClose && (
          <button type="button" onClick={onClose} aria-label="Close the Fixpoint panel">
            ×
          </button>
        )}
      </div>
      {store.error.value && (
        <p class="fp-banner" role="alert">
          {store.error.value}
        </p>
      )}
      {device ? (
        <DeviceCard device={device} onChange={store.clearDevice} />
      ) : (
        <DevicePicker
          query={store.query.value}
          matches={store.matches.value}
          searching={store.searching.value}
          idPrefix={idPrefix}
          onQueryChange={(q) => (store.query.value = q)}
          onSearch={(q) => void store.search(q)}
          onSelect={(d) => void store.selectDevice(d)}
        />
      )}
      {device && !action && (
        <ActionPicker
          actions={store.actions.value}
          loading={store.loadingActions.value || store.loadingAction.value}
          idPrefix={idPrefix}
          onSelect={(slug) => void store.selectAction(slug)}
        />
      )}
      {device && action && !run && (
        <ParameterForm
          action={action}
          values={store.values.value}
          errors={store.errors.value}
          busy={false}
          idPrefix={idPrefix}
          onChange={store.setValue}
          onSubmit={() => void store.launch()}
          onCancel={store.closeAction}
        />
      )}
      {device && action && run && (
        <RunView run={run} action={action} device={device} onCopy={onCopy} onInsert={onInsertSummary} onAgain={store.clearRun} />
      )}
    </div>
  );
}
