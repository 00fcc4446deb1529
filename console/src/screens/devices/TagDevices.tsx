import { useState } from 'preact/hooks';
import { devicesApi } from '../../api/operate';
import { ErrorMessage } from '../../components/Feedback';
import { FormActions, TextField } from '../../components/Fields';
import { splitList } from '../../lib/format';
import { showNotice } from '../../stores/notice';

export interface TagDevicesProps {
  deviceIds: string[];
  onDone: () => void;
  onCancel: () => void;
}

/** Adds and removes tags (categories) on the selected devices. */
export function TagDevices({ deviceIds, onDone, onCancel }: TagDevicesProps) {
  const [add, setAdd] = useState('');
  const [remove, setRemove] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await devicesApi.tag({ devices: deviceIds, add: splitList(add), remove: splitList(remove) });
      showNotice(`Tags changed on ${result.changed} of ${result.matched} ${result.matched === 1 ? 'device' : 'devices'}.`);
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const n = deviceIds.length;
  return (
    <form class="panel" aria-label={`Tag ${n} devices`} onSubmit={submit} novalidate>
      <h2>
        Tag {n} {n === 1 ? 'device' : 'devices'}
      </h2>
      <ErrorMessage error={error} title="Could not change the tags" />
      <TextField label="Tags to add" value={add} hint="Comma-separated, e.g. site:paris, vip." onInput={setAdd} />
      <TextField label="Tags to remove" value={remove} onInput={setRemove} />
      <FormActions submit={busy ? 'Saving…' : 'Apply tags'} disabled={busy || (!add.trim() && !remove.trim())} onCancel={onCancel} />
    </form>
  );
}
