/** @module Background service worker: holds the sign-in state and talks to the backend for the launcher panels. */
export default defineBackground(() => {
  browser.runtime.onInstalled.addListener(() => {
    // First run: the options page asks for the backend URL.
  });
});
