import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorMessage } from '../components/Feedback';
import { TextField } from '../components/Fields';
import { signIn } from '../stores/session';

/** E-mail and password; the backend sets an HttpOnly session cookie, so the console never holds a token. */
export function LoginScreen() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = 'Sign in · Fixpoint';
    headingRef.current?.focus();
  }, []);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <main class="login" id="main">
      <form class="login-card" onSubmit={submit} aria-labelledby="page-title">
        <p class="brand">Fixpoint</p>
        <h1 id="page-title" tabIndex={-1} ref={headingRef}>
          Sign in
        </h1>
        <ErrorMessage error={error} title="Sign-in failed" />
        <TextField label="E-mail" type="email" autoComplete="username" required value={email} onInput={setEmail} />
        <TextField label="Password" type="password" autoComplete="current-password" required value={password} onInput={setPassword} />
        <button type="submit" class="button primary wide" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="hint">The first administrator's e-mail and one-time password are printed when the backend starts for the first time.</p>
      </form>
    </main>
  );
}
