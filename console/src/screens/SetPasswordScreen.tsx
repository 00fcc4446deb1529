import { useEffect, useRef } from 'preact/hooks';
import type { MeT } from '../api/resources';
import { PasswordForm } from '../components/PasswordForm';
import { loadMe, signOut } from '../stores/session';

export interface SetPasswordScreenProps {
  me: MeT;
}

/**
 * Shown right after sign-in while the account must replace its password (the generated first-admin password, or one
 * an admin set); the API answers nothing else until then. Once changed, the console reloads the caller and proceeds.
 */
export function SetPasswordScreen({ me }: SetPasswordScreenProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = 'Set a new password · Fixpoint';
    headingRef.current?.focus();
  }, []);
  return (
    <main class="login" id="main">
      <div class="login-card">
        <p class="brand">Fixpoint</p>
        <h1 id="page-title" tabIndex={-1} ref={headingRef}>
          Set a new password
        </h1>
        <p>
          {me.email}: the password you signed in with was given to you once. Choose your own to continue.
        </p>
        <PasswordForm submitLabel="Set password and continue" onChanged={loadMe} />
        <p class="hint">
          <button type="button" class="link-like" onClick={() => void signOut()}>
            Sign out instead
          </button>
        </p>
      </div>
    </main>
  );
}
