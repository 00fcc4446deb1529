/** @module Loads a screen's code on first use, so pages that are rarely opened stay out of the main bundle. */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorMessage, Loading } from './Feedback';

export interface LazyProps<P> {
  load: () => Promise<ComponentType<P>>;
  props: P;
  label?: string;
}

/**
 * Preact keeps one Lazy across two routes that render it at the same place with the same key (a campaign's page and
 * its editor both use the campaign's slug), so what was loaded is kept with the loader it came from: a screen is
 * shown only for its own loader, never with the props of the next one.
 */
export function Lazy<P>({ load, props, label = 'Loading…' }: LazyProps<P>) {
  const [loaded, setLoaded] = useState<{ load: LazyProps<P>['load']; Component: ComponentType<P> } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    load().then(
      (Component) => live && setLoaded({ load, Component }),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [load]);
  if (error) return <ErrorMessage error={error} title="This part of the console could not be loaded; reload the page" />;
  if (!loaded || loaded.load !== load) return <Loading label={label} />;
  const { Component } = loaded;
  return <Component {...(props as P & object)} />;
}
