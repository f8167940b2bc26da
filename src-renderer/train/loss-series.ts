// Live loss curves: each progress event with losses adds one point at its fractional epoch.
import { LOSS_NAMES, type LossName } from '../api/client';

export const LOSS_KEYS = LOSS_NAMES;
export type LossKey = LossName;

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
    const v = p.losses[k];
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
