/** @module The signed-in user's own password change, shared by the forced first change and the account page. */
import { Password } from '@fixpoint/protocol';
import { useState } from 'preact/hooks';
import { authApi, type CredentialsEndedT } from '../api/resources';
import { ErrorMessage } from './Feedback';
import { TextField } from './Fields';

export interface PasswordFormProps {
  submitLabel: string;
  /** Called with what the change ended (other sessions, access tokens). */
  onChanged: (ended: CredentialsEndedT) => void | Promise<void>;
}

/** What is wrong with the new password before it is sent, if anything. */
export function checkNewPassword(current: string, next: string, confirm: string): string | null {
  const parsed = Password.safeParse(next);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'choose another password';
  if (next === current) return 'choose a password that differs from the current one';
  if (next !== confirm) return 'the two new passwords differ';
  return null;
}

/** Current password, new password twice; the backend checks the current one and ends the other sessions. */
export function PasswordForm({ submitLabel, onChanged }: PasswordFormProps) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    const invalid = checkNewPassword(current, next, confirm);
    setProblem(invalid);
    if (invalid) return;
    setBusy(true);
    try {
      const ended = await authApi.changePassword(current, next);
      setCurrent('');
      setNext('');
      setConfirm('');
      await onChanged(ended);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Change password">
      <ErrorMessage error={error} title="The password was not changed" />
      <TextField label="Current password" type="password" autoComplete="current-password" required value={current} onInput={setCurrent} />
      <TextField label="New password" type="password" autoComplete="new-password" required hint="At least 12 characters." value={next} onInput={setNext} />
      <TextField
        label="New password again"
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        error={problem ?? undefined}
        onInput={setConfirm}
      />
      <button type="submit" class="button primary wide" disabled={busy}>
        {busy ? 'Saving…' : submitLabel}
      </button>
    </form>
  );
}
