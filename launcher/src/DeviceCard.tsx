/** @module The device the launcher acts on: name, reachability, platform and a few identifying facts. */
import { formatDateTime, type Device } from '@fixpoint/protocol';
import { keyFacts } from './launcher-logic';

export interface DeviceCardProps {
  device: Device;
  /** Shown as a "Change" button when given. */
  onChange?: () => void;
}

const platformNames: Record<Device['platform'], string> = { windows: 'Windows', macos: 'macOS', linux: 'Linux' };


export function DeviceCard({ device, onChange }: DeviceCardProps) {
  return (
    <section class="fp-card" aria-label={`Device ${device.name}`}>
      <div class="fp-row">
        <strong>{device.name}</strong>
        <span class={`fp-badge fp-tone-${device.online ? 'done' : 'bad'}`}>{device.online ? 'online' : 'offline'}</span>
        <span class="fp-muted">{platformNames[device.platform]}</span>
        <span style="flex:1" />
        {onChange && (
          <button type="button" onClick={onChange} aria-label={`Change device (now ${device.name})`}>
            Change
          </button>
        )}
      </div>
      <dl class="fp-facts">
        {keyFacts(device).map(([label, value]) => (
          <>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </>
        ))}
        {!device.online && device.lastSeen && (
          <>
            <dt>Last seen</dt>
            <dd>{formatDateTime(device.lastSeen)}</dd>
          </>
        )}
      </dl>
      {!device.online && <p class="fp-muted">Actions wait until the device comes back online, or expire.</p>}
    </section>
  );
}
