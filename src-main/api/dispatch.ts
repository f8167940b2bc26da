// Turns (name, untrusted input) into a validated handler call and always answers an Envelope:
// a bad request becomes {code, message}, never a thrown error across IPC or HTTP.
import { z } from 'zod';
import { isRequestName, requests } from './contract';
import type { ApiError, Envelope, ErrorCode, ParsedInput, RequestName, RequestOutput } from './contract';

/** Throw this from a handler to answer a specific error code. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export type Handler<N extends RequestName> = (input: ParsedInput<N>) => Promise<RequestOutput<N>> | RequestOutput<N>;
export type Handlers = { [N in RequestName]: Handler<N> };

export interface Dispatcher {
  handle(name: string, input: unknown): Promise<Envelope<unknown>>;
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiFailure) return { code: err.code, message: err.message };
  if (err instanceof z.ZodError) return zodError(err);
  // Anything else is our bug or an environment failure: say what happened, keep the process alive.
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: message || 'Unexpected failure' };
}

function zodError(err: z.ZodError): ApiError {
  const issues = err.issues.map((i) => ({ path: i.path.map(String).join('.') || '(input)', message: i.message }));
  const first = issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ');
  return { code: 'bad-request', message: `Invalid input: ${first}`, issues };
}

export function createDispatcher(handlers: Handlers, log: (line: string) => void = () => {}): Dispatcher {
  return {
    async handle(name, input) {
      if (typeof name !== 'string' || !isRequestName(name)) {
        return { ok: false, error: { code: 'unknown-request', message: `Unknown request "${String(name)}"` } };
      }
      const parsed = requests[name].input.safeParse(input ?? undefined);
      if (!parsed.success) return { ok: false, error: zodError(parsed.error) };
      try {
        const handler = handlers[name] as (input: unknown) => unknown;
        const data = await handler(parsed.data);
        return { ok: true, data: data === undefined ? null : data };
      } catch (err) {
        const error = toApiError(err);
        if (error.code === 'internal') log(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return { ok: false, error };
      }
    },
  };
}

/** HTTP status for an error code (the body carries the code itself). */
export function httpStatus(code: ErrorCode): number {
  const map: Record<ErrorCode, number> = {
    'bad-request': 400,
    'unknown-request': 404,
    'not-found': 404,
    conflict: 409,
    'not-available': 501,
    unauthorized: 401,
    forbidden: 403,
    'too-large': 413,
    internal: 500,
  };
  return map[code];
}
