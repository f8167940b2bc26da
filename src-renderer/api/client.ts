// The renderer's only door to the main side. Same calls in Electron (preload bridge over IPC) and in a
// browser (POST /api/<name> + server-sent events at /api/events); only the transport differs.
import type { AppMode } from '../../src-main/shared/vocabulary';
import type {
  ApiError,
  Envelope,
  EventMessage,
  EventName,
  EventPayload,
  InspectorBridge,
  RequestInput,
  RequestName,
  RequestOutput,
} from '../../src-main/api/contract';

export type * from '../../src-main/api/contract';
// src-main/shared/ holds pure modules both sides use (no zod, no Node): the shared names and the truth
// rule. They are the only values the renderer takes from the main side.
export * from '../../src-main/shared/vocabulary';
export * from '../../src-main/shared/truth';
export * from '../../src-main/shared/verdict';
export * from '../../src-main/shared/problem';
export * from '../../src-main/shared/capture-shift';
export * from '../../src-main/shared/lots';
export * from '../../src-main/shared/lot-flags';
export * from '../../src-main/shared/region';
export * from '../../src-main/shared/left-out';

/** A failed request: `code` and `message` come from the main side's {code, message} error object. */
export class ApiRequestError extends Error {
  readonly code: ApiError['code'];
  readonly issues: ApiError['issues'];
  constructor(readonly request: string, error: ApiError) {
    super(error.message);
    this.name = 'ApiRequestError';
    this.code = error.code;
    this.issues = error.issues;
  }
}

export interface Transport {
  readonly mode: AppMode;
  request(name: string, input: unknown): Promise<Envelope<unknown>>;
  /** Starts delivering events; returns a function that stops. */
  subscribe(listener: (message: EventMessage) => void): () => void;
  pathForFile(file: File): string;
  /** Sends one file's bytes to the upload store (web mode); absent where there is no server to upload to. */
  upload?: UploadFn;
}

/** PUT /upload/<sha256>: resolves once the content is stored; rejects with ApiRequestError. */
export type UploadFn = (sha256: string, body: Blob, signal?: AbortSignal) => Promise<{ sha256: string; bytes: number; existed: boolean }>;

export interface ApiClient {
  readonly mode: AppMode;
  /** Calls one request of the contract; rejects with ApiRequestError. */
  call<N extends RequestName>(name: N, ...input: OptionalIfEmpty<RequestInput<N>>): Promise<RequestOutput<N>>;
  /** Listens to one event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** The OS path of a dropped file in Electron; '' in a browser (use the path field there). */
  pathForFile(file: File): string;
  /** Uploads one file's bytes by their sha256; null where this transport cannot upload. */
  readonly upload: UploadFn | null;
}

/** What sending files to the server needs of a client. */
export type UploadingClient = Pick<ApiClient, 'call' | 'upload'>;

// Requests whose whole input is optional can be called as api.call('projects.list').
type OptionalIfEmpty<I> = undefined extends I ? [input?: I] : [input: I];

export function bridgeTransport(bridge: InspectorBridge): Transport {
  return {
    mode: 'electron',
    request: (name, input) => bridge.request(name, input),
    subscribe: (listener) => bridge.onEvent(listener),
    pathForFile: (file) => bridge.pathForFile(file),
  };
}

/** HTTP transport. `base` is the server origin ('' = same origin); `token` is the one the server printed. */
export function httpTransport(base = '', token?: string): Transport {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return {
    mode: 'web',
    async request(name, input) {
      let res: Response;
      try {
        res = await fetch(`${base}/api/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(input ?? {}),
        });
      } catch (err) {
        return { ok: false, error: { code: 'internal', message: `Cannot reach the local server: ${String(err)}` } };
      }
      try {
        return (await res.json()) as Envelope<unknown>;
      } catch {
        return { ok: false, error: { code: 'internal', message: `The server answered ${res.status} without JSON` } };
      }
    },
    subscribe(listener) {
      // EventSource cannot send headers, so the token travels in the query (or the cookie the server set).
      const url = `${base}/api/events${token ? `?token=${encodeURIComponent(token)}` : ''}`;
      const source = new EventSource(url);
      source.onmessage = (e) => {
        try {
          listener(JSON.parse(e.data) as EventMessage);
        } catch {
          // A malformed message is dropped rather than breaking every later one.
        }
      };
      return () => source.close();
    },
    pathForFile: () => '',
    async upload(sha256, body, signal) {
      let res: Response;
      try {
        res = await fetch(`${base}/upload/${sha256}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body,
          signal,
        });
      } catch (err) {
        if (signal?.aborted) throw err;
        throw new ApiRequestError('upload', { code: 'internal', message: `Cannot reach the local server: ${String(err)}` });
      }
      let envelope: Envelope<{ sha256: string; bytes: number; existed: boolean }>;
      try {
        envelope = (await res.json()) as typeof envelope;
      } catch {
        throw new ApiRequestError('upload', { code: 'internal', message: `The server answered ${res.status} without JSON` });
      }
      if (!envelope.ok) throw new ApiRequestError('upload', envelope.error);
      return envelope.data;
    },
  };
}

export function createClient(transport: Transport): ApiClient {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let stop: (() => void) | null = null;
  const dispatch = (message: EventMessage) => {
    for (const l of listeners.get(message.name) ?? []) (l as (p: unknown) => void)(message.payload);
  };
  return {
    mode: transport.mode,
    async call(name, ...rest) {
      const envelope = await transport.request(name, rest[0] ?? {});
      if (!envelope.ok) throw new ApiRequestError(name, envelope.error);
      return envelope.data as RequestOutput<typeof name>;
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      stop ??= transport.subscribe(dispatch);
      return () => {
        set.delete(listener as (payload: never) => void);
        const total = [...listeners.values()].reduce((n, s) => n + s.size, 0);
        if (total === 0 && stop) {
          stop();
          stop = null;
        }
      };
    },
    pathForFile: (file) => transport.pathForFile(file),
    upload: transport.upload ?? null,
  };
}

/** Picks the transport: the preload bridge when present, else HTTP on this page's origin. */
export function defaultTransport(): Transport {
  const bridge = (globalThis as { inspector?: InspectorBridge }).inspector;
  if (bridge) return bridgeTransport(bridge);
  // Read through globalThis so the module also type-checks (and loads) outside a page, e.g. in Node tests.
  const search = (globalThis as { location?: { search: string } }).location?.search ?? '';
  const token = new URLSearchParams(search).get('token');
  return httpTransport('', token ?? undefined);
}

let shared: ApiClient | null = null;
/** The app-wide client, created on first use. */
export function getApi(): ApiClient {
  shared ??= createClient(defaultTransport());
  return shared;
}

/** The app-wide client; forwards to getApi() so importing this module has no side effects. */
export const api: ApiClient = {
  get mode() {
    return getApi().mode;
  },
  call: ((...args: Parameters<ApiClient['call']>) => getApi().call(...args)) as ApiClient['call'],
  on: ((...args: Parameters<ApiClient['on']>) => getApi().on(...args)) as ApiClient['on'],
  pathForFile: (file) => getApi().pathForFile(file),
  get upload() {
    return getApi().upload;
  },
};
