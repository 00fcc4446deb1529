/** The few extension APIs the tests call inside the browser (extension pages, the service worker, content-script worlds). */
declare const chrome: {
  storage: { local: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> } };
  scripting: { getRegisteredContentScripts(): Promise<{ id: string; matches?: string[] }[]> };
  runtime: { sendMessage(message: unknown): Promise<unknown>; sendMessage(extensionId: string, message: unknown): Promise<unknown> };
};
