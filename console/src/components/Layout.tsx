import type { ComponentChildren } from 'preact';
import { buildNav, currentNavHref } from '../lib/access';
import type { MeT } from '../api/resources';
import { location } from '../stores/router';
import { signOut } from '../stores/session';
import { notice } from '../stores/notice';
import { Link } from './Link';

export interface LayoutProps {
  me: MeT;
  children: ComponentChildren;
}

/** The signed-in frame: skip link, header with the user and sign-out, navigation by permission, and the page. */
export function Layout({ me, children }: LayoutProps) {
  const sections = buildNav(me);
  const pathname = location.value.pathname;
  const currentHref = currentNavHref(sections, pathname);
  const current = notice.value;
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link href="/" class="brand">
          Fixpoint
        </Link>
        <div class="user">
          <span>
            Signed in as <strong>{me.name}</strong>
            {me.email ? <span class="muted"> ({me.email})</span> : null}
          </span>
          <button type="button" class="button small" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <nav class="sidebar" aria-label="Main">
        {sections.map((section) => (
          <div key={section.label} class="nav-section">
            <h2 class="nav-heading" id={`nav-${section.label}`}>
              {section.label}
            </h2>
            <ul aria-labelledby={`nav-${section.label}`}>
              {section.items.map((item) => (
                <li key={item.route}>
                  <Link href={item.href} aria-current={item.href === currentHref ? 'page' : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        {current ? (
          <div class={`alert alert-${current.kind}`}>
            {current.text}
            <button type="button" class="link-button" aria-label="Dismiss message" onClick={() => (notice.value = null)}>
              ×
            </button>
          </div>
        ) : null}
        {children}
      </main>
    </div>
  );
}
