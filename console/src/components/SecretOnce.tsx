/** @module The panel that shows a new secret (client secret, token, signing secret) the one time the server returns it. */
import { useEffect, useRef, useState } from 'preact/hooks';

export interface Secret {
  /** What the secret is, e.g. "Client secret for ServiceNow". */
  label: string;
  value: string;
  /** Extra values shown with it, such as the client id. */
  extra?: { label: string; value: string }[];
}

export interface SecretOnceProps {
  /** The secret to show; nothing is shown while it is null. */
  secret: Secret | null;
  /** "I have stored it": the screen forgets the secret. */
  onDone: () => void;
}

/** Shows a secret the server will never show again, with a copy button; focus moves here so it is not missed. */
export function SecretOnce({ secret, onDone }: SecretOnceProps) {
  // A new secret (a second rotation) is a new panel: focus moves to it again and "Copied" starts over.
  return secret ? <SecretPanel key={secret.value} {...secret} onDone={onDone} /> : null;
}

function SecretPanel({ label, value: secret, extra = [], onDone }: Secret & { onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section class="secret-once" aria-labelledby="secret-once-title" tabIndex={-1} ref={ref}>
      <h2 id="secret-once-title">{label}</h2>
      <p>Copy it now: it is shown only once. If it is lost, create a new one.</p>
      <dl>
        {extra.map((e) => (
          <div key={e.label}>
            <dt>{e.label}</dt>
            <dd>
              <code>{e.value}</code>
            </dd>
          </div>
        ))}
        <div>
          <dt>Secret</dt>
          <dd>
            <code class="secret-value" data-testid="secret-value">
              {secret}
            </code>
          </dd>
        </div>
      </dl>
      <div class="row">
        <button type="button" class="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy secret'}
        </button>
        <button type="button" class="button primary" onClick={onDone}>
          I have stored it
        </button>
      </div>
      <span class="visually-hidden" aria-live="polite">
        {copied ? 'Secret copied to the clipboard' : ''}
      </span>
    </section>
  );
}
