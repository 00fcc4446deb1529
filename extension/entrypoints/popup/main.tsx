/** @module Popup entry: reads the sign-in and recent launches from storage and renders PopupView. */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import '../../assets/page.css';
import { PopupView } from '../../components/PopupView';
import { loadAuth, loadRecentLaunches, loadSettings } from '../../utils/storage';

async function show() {
  const local = browser.storage.local;
  const [settings, auth, recent] = await Promise.all([loadSettings(local), loadAuth(local), loadRecentLaunches(local)]);
  render(
    <PopupView backendUrl={settings.backendUrl} auth={auth} recent={recent} onOpenOptions={() => void browser.runtime.openOptionsPage().then(() => window.close())} />,
    document.getElementById('app')!,
  );
}

void show();
// Statuses arrive while the popup is open: re-read on every change.
browser.storage.onChanged.addListener((_changes, area) => area === 'local' && void show());
