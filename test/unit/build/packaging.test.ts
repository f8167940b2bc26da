// The packaging config names only files that exist, passes electron-builder's own schema, and matches
// what `electron-vite build` emits (main ESM entry, job process entry, CommonJS preload, CSP'd page).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import config from '../../../build/electron-builder.config';

const root = join(import.meta.dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

describe('electron-builder config', () => {
  it('names icons that exist in the formats each platform needs', () => {
    const linuxIcons = join(root, config.linux!.icon as string);
    const pngs = readdirSync(linuxIcons).filter((f) => f.endsWith('.png'));
    expect(pngs).toEqual(expect.arrayContaining(['16x16.png', '256x256.png', '512x512.png']));
    const ico = readFileSync(join(root, config.win!.icon as string));
    expect(ico.readUInt16LE(2)).toBe(1); // ICO type
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(5);
    const icns = readFileSync(join(root, config.mac!.icon as string));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    expect(existsSync(join(root, config.directories!.buildResources!))).toBe(true);
  });

  it('unpacks native modules and wasm binaries that are really installed (or optional)', () => {
    const unpack = config.asarUnpack as string[];
    const optional = Object.keys(pkg.optionalDependencies ?? {});
    for (const pattern of unpack) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/*]+)/.exec(pattern);
      expect(m, pattern).not.toBeNull();
      if (optional.includes(m![1])) continue;
      expect(existsSync(join(root, 'node_modules', m![1])), pattern).toBe(true);
    }
    const wasmDir = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
    expect(readdirSync(wasmDir).filter((f) => f.endsWith('.wasm')).length).toBeGreaterThan(0);
    expect(unpack.some((p) => p.includes('better-sqlite3'))).toBe(true);
    expect(unpack.some((p) => p.includes('sharp'))).toBe(true);
  });

  it('points at the main entry package.json declares, and has a dist script', () => {
    expect(normalize((config.extraMetadata as { main: string }).main)).toBe(normalize(pkg.main));
    expect(pkg.scripts.dist).toContain('build/electron-builder.config.ts');
  });

  it("passes electron-builder's configuration schema", async () => {
    // app-builder-lib is electron-builder's own dependency: resolve it from there.
    const fromBuilder = createRequire(createRequire(join(root, 'package.json')).resolve('electron-builder/package.json'));
    const { validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, log: { isEnabled: boolean; add(k: string, v: unknown): void }): Promise<void>;
    };
    await expect(validateConfiguration(config, { isEnabled: false, add() {} })).resolves.toBeUndefined();
  });
});

describe('electron-vite build', () => {
  const out = mkdtempSync(join(tmpdir(), 'inspector-build-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('emits the entries the main process and packaging expect', () => {
    execFileSync(join(root, 'node_modules/.bin/electron-vite'), ['build', '--outDir', out, '--logLevel', 'error'], {
      cwd: root,
      stdio: 'pipe',
    });
    const mainFile = join(out, 'main', 'index.js');
    expect(readFileSync(mainFile, 'utf8')).toMatch(/from "electron"/);
    expect(existsSync(join(out, 'main', 'job-child.js'))).toBe(true);
    // A sandboxed preload must be CommonJS.
    const preload = readFileSync(join(out, 'preload', 'index.cjs'), 'utf8');
    expect(preload).toMatch(/require\("electron"\)/);
    expect(preload).not.toMatch(/^\s*import\s/m);
    expect(preload).toContain('exposeInMainWorld("inspector"');
    const html = readFileSync(join(out, 'renderer', 'index.html'), 'utf8');
    expect(html).toMatch(/http-equiv="Content-Security-Policy"[^>]*default-src &#39;self&#39;/);
    // The main process loads the preload and page by these relative paths.
    const mainSource = readFileSync(join(root, 'src-main', 'index.ts'), 'utf8');
    expect(mainSource).toContain("'../preload/index.cjs'");
    expect(mainSource).toContain("'../renderer/index.html'");
    expect(mainSource).toContain("'job-child.js'");
  });
});

describe('install scripts', () => {
  it('declares in allowScripts every installed package whose install script npm would run', (ctx) => {
    // npm's own reading of the policy: a stricter npm skips what is left pending.
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    let out: string;
    try {
      out = execFileSync(npm, ['approve-scripts', '--allow-scripts-pending'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const text = String((err as { stderr?: string }).stderr ?? err);
      if (/Unknown command/i.test(text)) return ctx.skip(`this npm has no approve-scripts (npm 11.19+ reads allowScripts)`);
      throw err;
    }
    expect(out.trim()).toBe('No packages with unreviewed install scripts.');
    // The native build and the binary downloads the app needs are allowed, not just "not pending".
    const allow = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};
    for (const name of ['better-sqlite3', 'electron', 'esbuild', '@tensorflow/tfjs-node-gpu']) expect(allow[name], name).toBe(true);
  });
});
