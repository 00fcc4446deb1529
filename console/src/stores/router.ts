/** @module The current location as a signal, with history-API navigation. The server answers every page path with the console. */
import { signal } from '@preact/signals';

export interface Location {
  pathname: string;
  search: URLSearchParams;
}

function read(): Location {
  return { pathname: window.location.pathname, search: new URLSearchParams(window.location.search) };
}

export const location = signal<Location>(read());

/** Goes to a same-origin path; `replace` keeps the back button from returning to a redirect. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.origin);
  if (url.origin !== window.location.origin) throw new Error(`navigate() takes a console path, not ${to}`);
  const next = `${url.pathname}${url.search}`;
  if (next === `${window.location.pathname}${window.location.search}`) return;
  if (options.replace) window.history.replaceState(null, '', next);
  else window.history.pushState(null, '', next);
  location.value = read();
}

/** Changes query parameters in place (search boxes, filters) without adding history entries. */
export function setSearchParams(values: Record<string, string | undefined>): void {
  const params = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(values)) {
    if (value) params.set(key, value);
    else params.delete(key);
  }
  const search = params.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${search ? `?${search}` : ''}`);
  location.value = read();
}

export function startRouter(): void {
  window.addEventListener('popstate', () => {
    location.value = read();
  });
}
