import { useEffect, useRef, useState } from 'preact/hooks';

export interface ConfirmButtonProps {
  label: string;
  /** Accessible name when the visible label repeats on every row, e.g. "Delete ana@example.com". */
  name?: string;
  /** The question, e.g. "Delete user ana@example.com?". */
  question: string;
  confirmLabel?: string;
  onConfirm: () => void | Promise<void>;
  danger?: boolean;
  disabled?: boolean;
  /** Compact size for table rows (default); page headers use the full size. */
  small?: boolean;
}

/** A button that asks in place before a destructive step (no browser dialog, so keyboard focus stays put). */
export function ConfirmButton({ label, name, question, confirmLabel = label, onConfirm, danger = true, disabled, small = true }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  const cancel = () => {
    setAsking(false);
    queueMicrotask(() => triggerRef.current?.focus());
  };
  if (!asking)
    return (
      <button
        type="button"
        ref={triggerRef}
        class={`button${small ? ' small' : ''}${danger ? ' danger-outline' : ''}`}
        aria-label={name}
        disabled={disabled}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  return (
    <span class="confirm" role="group" aria-label={question} onKeyDown={(e) => e.key === 'Escape' && cancel()}>
      <span>{question}</span>
      <button
        type="button"
        ref={confirmRef}
        class={danger ? 'button danger' : 'button primary'}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" class="button" onClick={cancel}>
        Cancel
      </button>
    </span>
  );
}
