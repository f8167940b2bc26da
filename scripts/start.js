// `npm start`: the desktop app when the Electron binary is installed, else the local web mode in a
// browser (this build machine cannot download Electron). Extra arguments go to `serve`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// import.meta.dirname: Node >= 20.11 (package.json asks for 20.19).
const root = join(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

function electronInstalled() {
  try {
    const pkg = join(root, 'node_modules', 'electron');
    return existsSync(join(pkg, 'dist', readFileSync(join(pkg, 'path.txt'), 'utf8').trim()));
  } catch {
    return false;
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function rendererIsStale() {
  const index = join(root, 'out', 'renderer', 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return newestMtime(join(root, 'src-renderer')) > built || newestMtime(join(root, 'src-main', 'api')) > built;
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (electronInstalled()) {
  // preview = build, then run the built app: the same code and CSP as a packaged app.
  run(bin('electron-vite'), ['preview']);
} else {
  console.log('Electron binary not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD): starting the local web mode; open the URL below in a browser.');
  if (rendererIsStale()) {
    const built = spawnSync(bin('electron-vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  run(process.execPath, [join(root, 'bin', 'ganomaly-inspector.js'), 'serve', ...process.argv.slice(2)]);
}
