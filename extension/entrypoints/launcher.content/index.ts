/**
 * @module
 * The launcher content script. Registered at run time by the background, only for the sites the user configured and
 * granted (see utils/background/registration.ts); the manifest lists no content script and no host.
 */
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { startLauncher } from '../../utils/content/main';

export default defineContentScript({
  registration: 'runtime',
  noScriptStartedPostMessage: true,
  main(ctx) {
    startLauncher(document, browser.runtime)
      .then((stop) => ctx.onInvalidated(stop))
      .catch((err) => console.debug('Fixpoint launcher did not start:', err));
  },
});
