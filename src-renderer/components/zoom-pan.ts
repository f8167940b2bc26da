// Zoom and pan shared by the side-by-side panels: one view state, applied to every panel.
export interface View {
  scale: number;
  x: number;
  y: number;
}

export const IDENTITY: View = { scale: 1, x: 0, y: 0 };
export const MAX_SCALE = 32;

/** Keeps the image covering its panel (no empty margins when zoomed, centred at scale 1). */
export function clampView(v: View, width: number, height: number): View {
  const scale = Math.min(Math.max(v.scale, 1), MAX_SCALE);
  const minX = width - width * scale;
  const minY = height - height * scale;
  return { scale, x: Math.min(0, Math.max(minX, v.x)), y: Math.min(0, Math.max(minY, v.y)) };
}

/** Zooms by `factor` keeping the panel point (px, py) over the same image point. */
export function zoomAt(v: View, factor: number, px: number, py: number, width: number, height: number): View {
  const scale = Math.min(Math.max(v.scale * factor, 1), MAX_SCALE);
  const k = scale / v.scale;
  return clampView({ scale, x: px - (px - v.x) * k, y: py - (py - v.y) * k }, width, height);
}

export function panBy(v: View, dx: number, dy: number, width: number, height: number): View {
  return clampView({ ...v, x: v.x + dx, y: v.y + dy }, width, height);
}

/** Wheel delta to a zoom factor; trackpads send small deltas, mice large ones. */
export function wheelFactor(deltaY: number): number {
  return Math.exp(-Math.max(-200, Math.min(200, deltaY)) * 0.002);
}
