// The window's last position and size, kept in a small JSON file in userData. Parsing and fitting
// are pure so they are tested without Electron.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { z } from 'zod';

export const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20_000),
  height: z.number().int().min(300).max(20_000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof windowStateSchema>;
export interface Rect { x: number; y: number; width: number; height: number }

export const DEFAULT_STATE: WindowState = { width: 1280, height: 820, maximized: false };

/** The saved state, or the default when the file is missing, unreadable or malformed. */
export function readWindowState(file: string): WindowState {
  try {
    const parsed = windowStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : DEFAULT_STATE;
  } catch {
    return DEFAULT_STATE;
  }
}

export function writeWindowState(file: string, state: WindowState): void {
  try {
    writeFileSync(`${file}.tmp`, JSON.stringify(state));
    renameSync(`${file}.tmp`, file);
  } catch {
    // Losing the window position is not worth an error dialog.
  }
}

/**
 * Keeps a saved window on a screen that still exists (a monitor may have been unplugged): the
 * position is dropped, and the size shrunk, unless most of the window lies on one display.
 */
export function fitToDisplays(state: WindowState, workAreas: Rect[]): WindowState {
  if (workAreas.length === 0) return state;
  const largest = workAreas.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  const width = Math.min(state.width, largest.width);
  const height = Math.min(state.height, largest.height);
  if (state.x === undefined || state.y === undefined) return { ...state, width, height, x: undefined, y: undefined };
  const { x, y } = state;
  const visible = workAreas.some((a) => {
    const w = Math.min(x + state.width, a.x + a.width) - Math.max(x, a.x);
    const h = Math.min(y + state.height, a.y + a.height) - Math.max(y, a.y);
    return w > 0 && h > 0 && w * h >= 0.5 * state.width * state.height;
  });
  return visible ? state : { ...state, width, height, x: undefined, y: undefined };
}
