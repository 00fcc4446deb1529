import { useState } from 'preact/hooks';
import { shiftQueryError } from '../lib/device-query';
import { selectDevices, type DeviceSelection } from '../stores/device-query';
import type { PositionedError } from './QueryEditor';
import { ErrorMessage } from './Feedback';

export interface DevicePreviewProps {
  /** The devices query to try (a where-clause is turned into one by the caller). */
  query: string;
  /** Where a positioned error goes: the query field shows it. */
  onError: (error: PositionedError | null) => void;
  /** Put before `query` to make a devices query of it (`devices | where ` for a condition); errors are moved back. */
  prefix?: string;
  label?: string;
}

/** "Which devices does this select?" — runs the query now and shows how many, with a few names. */
export function DevicePreview({ query, onError, prefix = '', label = 'Show matching devices' }: DevicePreviewProps) {
  const [selection, setSelection] = useState<DeviceSelection | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    const result = await selectDevices(`${prefix}${query}`);
    setBusy(false);
    setSelection(result);
    const positioned = result.ok ? null : result.error;
    onError(positioned && { error: shiftQueryError(positioned.error, query, prefix.length), text: query });
  };
  return (
    <div class="device-preview">
      <button type="button" class="button small" disabled={busy || !query.trim()} onClick={run}>
        {busy ? 'Looking…' : label}
      </button>
      {selection?.ok ? (
        <p class="small" role="status">
          {selection.ids.length} {selection.ids.length === 1 ? 'device matches' : 'devices match'} now
          {selection.truncated ? ' (at least)' : ''}
          {selection.names.length ? `: ${selection.names.slice(0, 8).join(', ')}${selection.names.length > 8 ? ', …' : ''}` : ''}.
        </p>
      ) : null}
      {selection && !selection.ok ? <ErrorMessage error={selection.failure} /> : null}
    </div>
  );
}
