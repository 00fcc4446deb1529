/**
 * @module A value built on first use. The device bundles (agent, tray client) wrap the protocol's top-level schemas in
 * it at build time (`scripts/esbuild-lazy-schemas.mjs`), so a process builds only the schemas it touches: zod
 * schemas are objects of closures, and building all of them at load costs the idle agent megabytes.
 */

/**
 * A stand-in for `make()`'s object that builds it on the first access of any kind and forwards everything to it.
 * Only for objects used through their properties (zod schemas): a built-in with internal slots (a Map, an array
 * for `Array.isArray`) does not work through a proxy.
 * @example const Id = lazySchema(() => z.uuid()); Id.parse(x); // built here
 */
export function lazySchema<T extends object>(make: () => T): T {
  let built: T | undefined;
  const real = (): T => (built ??= make());
  // The target stays empty but takes the non-configurable properties reported for it, as proxies must.
  const handler: ProxyHandler<object> = {
    get: (_target, key) => {
      const object = real();
      return Reflect.get(object, key, object);
    },
    set: (_target, key, value) => Reflect.set(real(), key, value),
    has: (_target, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(real(), key, descriptor),
    deleteProperty: (_target, key) => Reflect.deleteProperty(real(), key),
    getOwnPropertyDescriptor: (target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      if (descriptor && !descriptor.configurable && !Reflect.getOwnPropertyDescriptor(target, key)) Reflect.defineProperty(target, key, descriptor);
      return descriptor;
    },
  };
  return new Proxy({}, handler) as T;
}
