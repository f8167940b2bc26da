import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STATE, fitToDisplays, readWindowState, writeWindowState } from '../../../src-main/shell/window-state';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'winstate-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const screen = { x: 0, y: 0, width: 1920, height: 1080 };

describe('window state', () => {
  it('round-trips through its JSON file and falls back on a bad one', async () => {
    const file = join(dir, 'state.json');
    expect(readWindowState(file)).toEqual(DEFAULT_STATE);
    writeWindowState(file, { x: 10, y: 20, width: 1000, height: 700, maximized: true });
    expect(readWindowState(file)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
    await writeFile(file, '{"width": "wide"}');
    expect(readWindowState(file)).toEqual(DEFAULT_STATE);
    await writeFile(file, 'not json');
    expect(readWindowState(file)).toEqual(DEFAULT_STATE);
  });

  it('keeps a window that is on a screen, and re-centres one whose screen is gone', () => {
    const onScreen = { x: 100, y: 100, width: 1200, height: 800, maximized: false };
    expect(fitToDisplays(onScreen, [screen])).toEqual(onScreen);
    const offScreen = { x: 3000, y: 100, width: 1200, height: 800, maximized: false };
    expect(fitToDisplays(offScreen, [screen])).toMatchObject({ x: undefined, y: undefined, width: 1200 });
    const tooBig = { width: 4000, height: 3000, maximized: false };
    expect(fitToDisplays(tooBig, [screen])).toMatchObject({ width: 1920, height: 1080 });
    expect(fitToDisplays(onScreen, [])).toEqual(onScreen);
  });
});
