/**
 * @module
 * Injected by the options page into an open tab of a generic site being configured (never registered as a content
 * script): defines the function the page's next injection calls to read the tab with the unsaved settings.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { previewGlobal, readSitePreview } from '../utils/options/site-preview';

export default defineUnlistedScript(() => {
  (globalThis as Record<string, unknown>)[previewGlobal] = readSitePreview;
});
