// For tests only: what Wails injects into the page — window.runtime (events)
// and window.go (bound Go methods) — so components run through the real
// api.ts and generated bindings, with Go's answers and events played by the
// test. Nothing in the app imports this.

type Handler = (...data: unknown[]) => void;

/** A Go call the test answers later: resolve(value) or reject with Go's error JSON. */
export interface PendingCall {
  args: unknown[];
  resolve: (value: unknown) => void;
  reject: (code: string, message: string, field?: string) => void;
}

export interface FakeWails {
  /** Emits a Wails event to the page's subscribers. */
  emit(name: string, payload: unknown): void;
  /** Calls of a method not answered by a handler, oldest first. */
  pending(method: string): PendingCall[];
  /** The i-th pending call of a method; throws while there is none (for waitFor). */
  pendingCall(method: string, i?: number): PendingCall;
  /** Every call of a method, answered or not. */
  calls(method: string): unknown[][];
  /** Answers a method at once instead of leaving it pending. */
  answer(method: string, fn: (...args: unknown[]) => unknown): void;
  /** How many subscribers an event has (to check that they unsubscribe). */
  listeners(name: string): number;
  uninstall(): void;
}

const SERVICES = ['ConnectionService', 'ConnectorService', 'IntegrationService', 'LogService', 'WorkspaceService', 'AppService'];

export function installFakeWails(): FakeWails {
  const handlers = new Map<string, Handler[]>();
  const pending = new Map<string, PendingCall[]>();
  const calls = new Map<string, unknown[][]>();
  const answers = new Map<string, (...args: unknown[]) => unknown>();

  const method = (name: string) => (...args: unknown[]) => {
    calls.set(name, [...(calls.get(name) ?? []), args]);
    const fn = answers.get(name);
    if (fn) {
      try {
        return Promise.resolve(fn(...args));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return new Promise((resolve, reject) => {
      pending.set(name, [
        ...(pending.get(name) ?? []),
        {
          args,
          resolve,
          reject: (code, message, field = '') => reject(JSON.stringify({ code, message, field })),
        },
      ]);
    });
  };

  const service = new Proxy({}, { get: (_, name) => method(String(name)) });
  const go: Record<string, Record<string, unknown>> = {};
  for (const s of SERVICES) go[s] = service as Record<string, unknown>;
  (window as { go?: unknown }).go = { services: go };
  (window as { runtime?: unknown }).runtime = {
    EventsOnMultiple: (name: string, cb: Handler) => {
      handlers.set(name, [...(handlers.get(name) ?? []), cb]);
      return () => handlers.set(name, (handlers.get(name) ?? []).filter((h) => h !== cb));
    },
    BrowserOpenURL: () => {},
    ClipboardSetText: () => Promise.resolve(true),
  };

  return {
    emit(name, payload) {
      for (const h of handlers.get(name) ?? []) h(payload);
    },
    pending: (m) => pending.get(m) ?? [],
    pendingCall(m, i = 0) {
      const c = (pending.get(m) ?? [])[i];
      if (!c) throw new Error(`no call #${i} of ${m} yet`);
      return c;
    },
    calls: (m) => calls.get(m) ?? [],
    answer: (m, fn) => answers.set(m, fn),
    listeners: (name) => (handlers.get(name) ?? []).length,
    uninstall() {
      delete (window as { go?: unknown }).go;
      delete (window as { runtime?: unknown }).runtime;
    },
  };
}
