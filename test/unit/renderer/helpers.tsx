// Test support for renderer components: the real typed client over an in-memory transport that
// answers each request from a handler and records the calls, plus a no-op canvas for uPlot
// (happy-dom has no 2D context).
import { createClient, type Transport } from '../../../src-renderer/api/client';
import type { EventMessage } from '../../../src-main/api/contract';
import type { ApiError } from '../../../src-main/api/types';

export type Handlers = Record<string, (input: Record<string, unknown>) => unknown>;

/** `mode` as the transport says it: 'electron' for what only the desktop window offers (native dialogs). */
export function memoryClient(handlers: Handlers, mode: Transport['mode'] = 'web') {
  const calls: Array<{ name: string; input: Record<string, unknown> }> = [];
  const listeners = new Set<(m: EventMessage) => void>();
  const transport: Transport = {
    mode,
    async request(name, input) {
      const i = (input ?? {}) as Record<string, unknown>;
      calls.push({ name, input: i });
      const h = handlers[name];
      if (!h) return { ok: false, error: { code: 'unknown-request', message: `no handler for ${name}` } };
      try {
        return { ok: true, data: await h(i) };
      } catch (e) {
        // A handler may throw the main side's failure code (e.g. 'conflict') as `code`.
        return { ok: false, error: { code: (e as { code?: ApiError['code'] }).code ?? 'internal', message: (e as Error).message } };
      }
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    pathForFile: () => '',
  };
  return {
    client: createClient(transport),
    calls,
    named: (name: string) => calls.filter((c) => c.name === name),
    emit: (message: EventMessage) => listeners.forEach((l) => l(message)),
  };
}

export function stubCanvas(): void {
  const g = globalThis as Record<string, unknown>;
  if (!g.Path2D) g.Path2D = class { moveTo() {} lineTo() {} rect() {} arc() {} closePath() {} bezierCurveTo() {} addPath() {} };
  const ctx = new Proxy({} as Record<string | symbol, unknown>, {
    get: (t, k) => (k in t ? t[k] : k === 'measureText' ? () => ({ width: 10 }) : () => undefined),
    set: (t, k, v) => ((t[k] = v), true),
  });
  HTMLCanvasElement.prototype.getContext = (() => ctx) as unknown as HTMLCanvasElement['getContext'];
}

export function ranked(id: number, score: number, extra: Record<string, unknown> = {}) {
  return {
    id, path: `/parts/test/defect/p${id}.png`, name: `p${id}.png`, folder: '/parts/test/defect', folderName: 'defect', label: 'defect', split: 'test',
    defectType: 'defect', width: 32, height: 32, channels: 1, missing: false, thumbUrl: '', originalUrl: '',
    rank: id, score, calibrated: score * 10, percentile: 99, flagged: true, uncertain: false, review: null, ...extra,
  };
}
