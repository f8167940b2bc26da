// The client reaches components through context, so tests can hand in a client over another transport.
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { api as defaultApi } from '../api/client';
import type { ApiClient, EventName, EventPayload, RequestInput, RequestName, RequestOutput } from '../api/client';

const ApiContext = createContext<ApiClient>(defaultApi);

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  return useContext(ApiContext);
}

export interface RequestState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs one request whenever its input changes (compared by value); `null` input skips it.
 * Late answers of an older input are dropped, so they never overwrite a newer one. Until the new
 * answer arrives `data` still holds the previous input's: where that would show one model's data
 * under another, key the component by the input instead.
 */
export function useRequest<N extends RequestName>(name: N, input: RequestInput<N> | null): RequestState<RequestOutput<N>> {
  const client = useApi();
  const key = input === null ? null : JSON.stringify(input);
  const [state, setState] = useState<{ data?: RequestOutput<N>; error: unknown; loading: boolean }>({ error: null, loading: key !== null });
  const [tick, setTick] = useState(0);
  const inputRef = useRef(input);
  inputRef.current = input;

  useEffect(() => {
    if (key === null) {
      setState({ data: undefined, error: null, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    const call = client.call as (n: N, i: unknown) => Promise<RequestOutput<N>>;
    call(name, inputRef.current).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [client, name, key, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Subscribes to one event for the component's lifetime; the latest handler is always used. */
export function useEvent<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): void {
  const client = useApi();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => client.on(event, (p) => ref.current(p)), [client, event]);
}

/** Reloads when the main side says this project's data of one of the given kinds changed. */
export function useReloadOn(projectId: number | null, what: ReadonlyArray<EventPayload<'library.changed'>['what']>, reload: () => void): void {
  useEvent('library.changed', (p) => {
    if (p.projectId === projectId && what.includes(p.what)) reload();
  });
}
