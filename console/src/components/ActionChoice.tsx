/** @module Picking the action a schedule or detection rule runs, and loading its parameter declarations. */
import type { ExecutionTrigger } from '@fixpoint/protocol';
import { useEffect, useState } from 'preact/hooks';
import { actionsApi, type ActionWithVersion } from '../api/resources';
import { SelectField } from './Fields';
import { useLoad } from './use-load';

export interface ActionChoiceProps {
  value: string;
  /** Only actions whose latest version allows this trigger are offered (the current choice always is). */
  trigger: ExecutionTrigger;
  error?: string | undefined;
  disabled?: boolean;
  onChange: (slug: string) => void;
}

export function ActionChoice({ value, trigger, error, disabled, onChange }: ActionChoiceProps) {
  const list = useLoad(() => actionsApi.list({ limit: 500 }), []);
  const items = (list.data?.items ?? []).filter((a) => !a.archived);
  const options = [{ value: '', label: 'Choose an action…' }, ...items.map((a) => ({ value: a.slug, label: `${a.name} (${a.slug})` }))];
  if (value && !items.some((a) => a.slug === value)) options.push({ value, label: value });
  return (
    <SelectField
      label="Action"
      value={value}
      error={error ?? (list.error ? 'The actions could not be loaded.' : undefined)}
      hint={`Its latest version runs each time; it must allow the ${trigger} trigger.`}
      disabled={disabled}
      options={options}
      onChange={onChange}
    />
  );
}

/** The chosen action with its latest version (for its parameters), or null while none is chosen or loading. */
export function useAction(slug: string): { action: ActionWithVersion | null; error: unknown } {
  const [state, setState] = useState<{ action: ActionWithVersion | null; error: unknown }>({ action: null, error: null });
  useEffect(() => {
    setState({ action: null, error: null });
    if (!slug) return;
    let live = true;
    actionsApi.get(slug).then(
      (action) => live && setState({ action, error: null }),
      (error: unknown) => live && setState({ action: null, error }),
    );
    return () => {
      live = false;
    };
  }, [slug]);
  return state;
}
