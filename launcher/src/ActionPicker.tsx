/** @module The actions the agent may run on the chosen device, with a filter when the list is long. */
import type { Action } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';

export interface ActionPickerProps {
  actions: Action[] | null;
  loading: boolean;
  idPrefix: string;
  onSelect(slug: string): void;
}

/** Lists longer than this get a filter box. */
const filterThreshold = 8;

export function ActionPicker({ actions, loading, idPrefix, onSelect }: ActionPickerProps) {
  const [filter, setFilter] = useState('');
  if (loading) return <p class="fp-muted" role="status">Loading actions…</p>;
  if (!actions) return null;
  if (!actions.length) return <p class="fp-muted" role="status">You may not run any action on this device.</p>;
  const needle = filter.trim().toLowerCase();
  const shown = needle ? actions.filter((a) => `${a.name} ${a.slug} ${a.description}`.toLowerCase().includes(needle)) : actions;
  return (
    <section class="fp-field" aria-labelledby={`${idPrefix}-actions`}>
      <h3 id={`${idPrefix}-actions`}>Actions</h3>
      {actions.length > filterThreshold && (
        <input type="search" aria-label="Filter actions" placeholder="Filter actions" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      )}
      <ul class="fp-list">
        {shown.map((a) => (
          <li key={a.slug}>
            <button type="button" onClick={() => onSelect(a.slug)}>
              <strong>{a.name}</strong>
              {a.description && <span class="fp-muted">{a.description}</span>}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
