// Live loss curves: each progress event with losses adds one point at its fractional epoch.
export const LOSS_KEYS = ['errD', 'errG', 'errGAdv', 'errGCon', 'errGEnc'] as const;
export type LossKey = (typeof LOSS_KEYS)[number];

export interface LossSeries {
  x: number[];
  y: Record<LossKey, Array<number | null>>;
}

export function emptySeries(): LossSeries {
  return { x: [], y: { errD: [], errG: [], errGAdv: [], errGCon: [], errGEnc: [] } };
}

/** x = epoch - 1 + batch / batches (epochs count from 1); repeated or older points are ignored. */
export function appendLosses(s: LossSeries, p: { epoch?: number; batch?: number; batches?: number; losses?: Record<string, number> }): LossSeries {
  if (!p.losses || p.epoch === undefined) return s;
  const x = p.batches ? p.epoch - 1 + (p.batch ?? p.batches) / p.batches : p.epoch;
  const lastX = s.x[s.x.length - 1];
  if (lastX !== undefined && x <= lastX) return s;
  const y = { ...s.y };
  for (const k of LOSS_KEYS) {
    // Saved histories name the generator parts errAdv/errCon/errEnc; live events errGAdv/...
    const v = p.losses[k] ?? p.losses[k.replace(/^errG(?=[A-Z])/, 'err')];
    y[k] = [...s.y[k], typeof v === 'number' && Number.isFinite(v) ? v : null];
  }
  return { x: [...s.x, x], y };
}

/** Curves of a finished model from its per-epoch history. */
export function seriesFromHistory(history: Array<{ epoch: number; losses: Record<string, number> }>): LossSeries {
  let s = emptySeries();
  for (const h of history) s = appendLosses(s, { epoch: h.epoch, losses: h.losses });
  return s;
}
