/** @module The options page: Fixpoint server, sign-in (three ways) and the sites the launcher works on. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { createOptionsStore, type OptionsHost, type OptionsStore } from './options-store';
import { SitesEditor } from './SitesEditor';

export interface OptionsPageProps {
  host: OptionsHost;
}

function ServerSection({ store }: { store: OptionsStore }) {
  const [url, setUrl] = useState(store.settings.value?.backendUrl ?? '');
  return (
    <section aria-labelledby="server-title">
      <h2 id="server-title">Fixpoint server</h2>
      <form class="row" onSubmit={(e) => { e.preventDefault(); void store.saveBackendUrl(url); }}>
        <label for="backend-url" class="sr">Server address</label>
        <input id="backend-url" type="url" placeholder="https://fixpoint.example.com" value={url} onInput={(e) => setUrl(e.currentTarget.value)} required />
        <button type="submit" disabled={store.busy.value}>Save and allow access</button>
      </form>
    </section>
  );
}

type Method = 'session' | 'password' | 'token';

function SignInSection({ store }: { store: OptionsStore }) {
  const [method, setMethod] = useState<Method>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const auth = store.auth.value;
  const disabled = store.busy.value || !store.settings.value?.backendUrl;
  if (auth) {
    return (
      <section aria-labelledby="signin-title">
        <h2 id="signin-title">Sign-in</h2>
        <p>
          Signed in as <strong>{auth.name ?? auth.email}</strong>
          {auth.expiresAt && <> until {new Date(auth.expiresAt).toLocaleDateString()}</>}.
        </p>
        <button type="button" onClick={() => void store.signOut()}>Sign out</button>
      </section>
    );
  }
  return (
    <section aria-labelledby="signin-title">
      <h2 id="signin-title">Sign-in</h2>
      <fieldset class="row" disabled={disabled}>
        <legend class="sr">How to sign in</legend>
        {(['password', 'session', 'token'] as const).map((m) => (
          <label key={m}>
            <input type="radio" name="method" checked={method === m} onChange={() => setMethod(m)} />{' '}
            {m === 'password' ? 'Email and password' : m === 'session' ? 'Fixpoint console session' : 'Paste a token'}
          </label>
        ))}
      </fieldset>
      {method === 'password' && (
        <form class="stack" onSubmit={(e) => { e.preventDefault(); void store.signInWithPassword(email, password).then(() => setPassword('')); }}>
          <label for="email">Email</label>
          <input id="email" type="email" autocomplete="username" value={email} onInput={(e) => setEmail(e.currentTarget.value)} required />
          <label for="password">Password</label>
          <input id="password" type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required />
          <button type="submit" disabled={disabled}>Sign in</button>
        </form>
      )}
      {method === 'session' && (
        <div class="stack">
          <p>Sign in on the Fixpoint console in a new tab, then come back and continue.</p>
          <div class="row">
            <button type="button" disabled={disabled} onClick={() => store.openConsole()}>Open the console</button>
            <button type="button" disabled={disabled} onClick={() => void store.signInWithSession()}>Continue with my console session</button>
          </div>
        </div>
      )}
      {method === 'token' && (
        <form class="stack" onSubmit={(e) => { e.preventDefault(); void store.signInWithToken(token).then(() => setToken('')); }}>
          <label for="token">Personal access token</label>
          <input id="token" type="password" autocomplete="off" value={token} onInput={(e) => setToken(e.currentTarget.value)} required />
          <button type="submit" disabled={disabled}>Use this token</button>
        </form>
      )}
      {!store.settings.value?.backendUrl && <p class="muted">Save the server address first.</p>}
    </section>
  );
}

export function OptionsPage({ host }: OptionsPageProps) {
  const store = useMemo(() => createOptionsStore(host), [host]);
  useEffect(() => void store.load(), [store]);
  const notice = store.notice.value;
  if (!store.settings.value) return <p>Loading…</p>;
  return (
    <main>
      <h1>Fixpoint</h1>
      {notice && (
        <p class={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
      <ServerSection store={store} />
      <SignInSection store={store} />
      <SitesEditor
        sites={store.settings.value.sites}
        granted={store.granted.value}
        busy={store.busy.value}
        previews={store.previews.value}
        onSave={(s) => void store.saveSites(s)}
        onPreview={(id, site, ask) => void store.previewSite(id, site, ask)}
      />
    </main>
  );
}
