/** @module Narrowing a schedule, a detection rule or a campaign trigger to a saved query (a dynamic category). */
import { savedQueriesApi } from '../api/operate';
import { SelectField } from './Fields';
import { useLoad } from './use-load';

export interface SavedQueryFieldProps {
  /** The saved query's id; empty: none. */
  value: string;
  error?: string | undefined;
  hint: string;
  /** The choice of no saved query, e.g. "Any (the target alone)". */
  anyLabel: string;
  onChange: (id: string) => void;
}

export function SavedQueryField({ value, error, hint, anyLabel, onChange }: SavedQueryFieldProps) {
  const list = useLoad(() => savedQueriesApi.list(), []);
  const options = [{ value: '', label: anyLabel }, ...(list.data?.items ?? []).map((q) => ({ value: q.id, label: q.name }))];
  return (
    <SelectField
      label="Only devices in the saved query"
      value={value}
      error={error ?? (list.error ? 'The saved queries could not be loaded.' : undefined)}
      hint={hint}
      options={options}
      onChange={onChange}
    />
  );
}
