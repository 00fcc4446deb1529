/** @module Options page entry: renders OptionsPage with the browser's storage, permissions and tabs. */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import '../../assets/page.css';
import { OptionsPage } from '../../components/OptionsPage';
import type { OptionsHost } from '../../components/options-store';
import { previewSiteInTab } from '../../utils/options/site-preview';

const host: OptionsHost = {
  storage: browser.storage.local,
  permissions: browser.permissions,
  openTab: (url) => void browser.tabs.create({ url }),
  previewSite: (site) => previewSiteInTab(browser as unknown as Parameters<typeof previewSiteInTab>[0], site),
};

render(<OptionsPage host={host} />, document.getElementById('app')!);
