/** @module Loads a screen's code on first use, so pages that are rarely opened stay out of the main bundle. */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorMessage, Loading } from './Feedback';

export interface LazyProps<P> {
  load: () => Promise<ComponentType<P>>;
  props: P;
  label?: string;
}

export function Lazy<P>({ load, props, label = 'Loading…' }: LazyProps<P>) {
  const [loaded, setLoaded] = useState<{ Component: ComponentType<P> } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    load().then(
      (Component) => live && setLoaded({ Component }),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [load]);
  if (error) return <ErrorMessage error={error} title="This part of the console could not be loaded; reload the page" />;
  if (!loaded) return <Loading label={label} />;
  const { Component } = loaded;
  return <Component {...(props as P & object)} />;
}
