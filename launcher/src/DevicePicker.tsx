/** @module Device search: the name read from the ticket is pre-filled; several or no matches let the agent search. */
import { formatDateTime, type Device } from '@fixpoint/protocol';

export interface DevicePickerProps {
  query: string;
  matches: Device[] | null;
  searching: boolean;
  idPrefix: string;
  onQueryChange(query: string): void;
  onSearch(query: string): void;
  onSelect(device: Device): void;
}

function formatSeen(iso: string | null): string {
  if (!iso) return 'never seen';
  return `last seen ${formatDateTime(iso)}`;
}

/** What tells two similarly named devices apart: reachability, when last seen, OS, tags. */
export function describeDevice(d: Device): string {
  const parts = [d.online ? 'online' : 'offline', formatSeen(d.lastSeen), d.osVersion || d.platform];
  if (d.tags.length) parts.push(`tags: ${d.tags.join(', ')}`);
  return parts.join(' · ');
}

export function DevicePicker({ query, matches, searching, idPrefix, onQueryChange, onSearch, onSelect }: DevicePickerProps) {
  const inputId = `${idPrefix}-device-search`;
  return (
    <section class="fp-field" aria-labelledby={`${inputId}-label`}>
      <form
        class="fp-field"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          onSearch(query);
        }}
      >
        <label id={`${inputId}-label`} for={inputId}>
          Device
        </label>
        <div class="fp-row">
          <input
            id={inputId}
            type="search"
            value={query}
            placeholder="Device name"
            autocomplete="off"
            maxLength={200}
            onInput={(e) => onQueryChange(e.currentTarget.value)}
          />
          <button type="submit" disabled={searching || !query.trim()}>
            {searching ? 'Searching…' : 'Search'}
          </button>
        </div>
      </form>
      {matches && matches.length === 0 && !searching && (
        <p class="fp-muted" role="status">
          No device matches “{query}”. Check the name or search for part of it.
        </p>
      )}
      {matches && matches.length > 0 && (
        <>
          <p class="fp-muted" role="status">
            {matches.length === 1
              ? '1 device matches; pick it to continue:'
              : `${matches.length} devices match “${query}”. Pick the one this ticket is about; nothing runs until you do.`}
          </p>
          <ul class="fp-list" aria-label="Matching devices">
            {matches.map((d) => (
              <li key={d.id}>
                <button type="button" onClick={() => onSelect(d)} aria-label={`Choose ${d.name}`}>
                  <strong>{d.name}</strong>
                  <span class="fp-muted">{describeDevice(d)}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
