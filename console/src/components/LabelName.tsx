import { useEffect } from 'preact/hooks';
import { describeLabel } from '../lib/principals';
import { labelNames, requestNames } from '../stores/names';

export interface LabelNameProps {
  /** `schedule:<id>`, `user:<e-mail>`, `device:<id>`… */
  label: string | null | undefined;
}

/** Who or what a label means, by name ("schedule: Disk usage"); the raw label stays in the tooltip. */
export function LabelName({ label }: LabelNameProps) {
  useEffect(() => requestNames([label]), [label]);
  if (!label) return null;
  const text = describeLabel(label, labelNames.value);
  return <span title={text === label ? undefined : label}>{text}</span>;
}
