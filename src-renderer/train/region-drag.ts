// Drawing the inspection region: a drag over the image turned into a region in percent.
import type { Region } from '../api/client';

/** A point on the image as fractions of its width and height. */
export interface Point { x: number; y: number }

/** The rectangle between two points of a drag, in percent, clamped to the image; null for a click (under 2 % either way). */
export function regionFromDrag(a: Point, b: Point): Region | null {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const [x0, x1] = [clamp(Math.min(a.x, b.x)), clamp(Math.max(a.x, b.x))];
  const [y0, y1] = [clamp(Math.min(a.y, b.y)), clamp(Math.max(a.y, b.y))];
  if (x1 - x0 < 0.02 || y1 - y0 < 0.02) return null;
  const pct = (v: number) => Math.round(v * 1000) / 10; // a tenth of a percent
  // Width from the rounded ends, so left + width never passes 100 %.
  const span = (from: number, to: number) => Math.round((pct(to) - pct(from)) * 10) / 10;
  return { left: pct(x0), top: pct(y0), width: span(x0, x1), height: span(y0, y1) };
}
