/** @module The root component: waits for the session, guards pages by permission, and moves focus on navigation. */
import { useEffect, useRef } from 'preact/hooks';
import { canAccess, homePath } from './lib/access';
import { matchRoute, safeNextPath } from './router/routes';
import { Layout } from './components/Layout';
import { Loading } from './components/Feedback';
import { PageHeader } from './components/PageHeader';
import { Link } from './components/Link';
import { LoginScreen } from './screens/LoginScreen';
import { SetPasswordScreen } from './screens/SetPasswordScreen';
import { renderScreen } from './screens';
import { location, navigate } from './stores/router';
import { announcement, expireNotice } from './stores/notice';
import { me } from './stores/session';

function LiveRegion() {
  return (
    <div class="visually-hidden" role="status" aria-live="polite">
      {announcement.value}
    </div>
  );
}

export function App() {
  const user = me.value;
  const { pathname } = location.value;
  const match = matchRoute(pathname);
  const landed = useRef(false);

  useEffect(() => {
    const title = match?.route.title ?? 'Not found';
    document.title = `${title} · Fixpoint`;
    expireNotice(pathname);
    if (user === undefined) return;
    // The sign-in page focuses itself; signing in then counts as a navigation.
    if (!user) {
      landed.current = true;
      return;
    }
    // The first page after a load keeps focus at the top, where the skip link is (past the redirect from /).
    if (!landed.current) {
      if (match?.route.name !== 'home') landed.current = true;
      return;
    }
    // After a navigation, land keyboard and screen-reader users at the new page's title, as a page load would.
    const heading = document.getElementById('page-title');
    if (heading && document.activeElement !== heading) heading.focus();
  }, [pathname, user === undefined, Boolean(user)]);

  useEffect(() => {
    if (user === undefined) return;
    if (!user && match?.route.name !== 'login') {
      const back = pathname === '/' ? '' : `?next=${encodeURIComponent(pathname + window.location.search)}`;
      navigate(`/login${back}`, { replace: true });
    } else if (user && (match?.route.name === 'login' || match?.route.name === 'home')) {
      const next = safeNextPath(location.value.search.get('next'), window.location.origin);
      navigate(next ?? homePath(user), { replace: true });
    }
  }, [user, match?.route.name]);

  if (user === undefined) return <Loading label="Opening the console…" />;
  if (!user)
    return (
      <>
        <LoginScreen />
        <LiveRegion />
      </>
    );
  if (user.mustChangePassword)
    return (
      <>
        <SetPasswordScreen me={user} />
        <LiveRegion />
      </>
    );
  let page;
  if (!match) {
    page = (
      <>
        <PageHeader title="Not found" />
        <p>
          There is no page at <code>{pathname}</code>. <Link href="/">Go to the start page</Link>.
        </p>
      </>
    );
  } else if (!canAccess(user, match.route.access)) {
    page = (
      <>
        <PageHeader title="Not allowed" />
        <p>Your roles do not include access to {match.route.title.toLowerCase()}. Ask an administrator if you need it.</p>
      </>
    );
  } else page = renderScreen(match, user);
  return (
    <>
      <Layout me={user}>{page}</Layout>
      <LiveRegion />
    </>
  );
}
