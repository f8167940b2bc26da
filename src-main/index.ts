// Electron main process: one hardened window, the API over one IPC channel, library media over a
// custom protocol, and the database in userData (or GANOMALY_DATA_DIR).
import { DB_FILE, defaultDataDir } from './data-dir';
import type { PickKind } from './shared/vocabulary';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, screen, utilityProcess } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from './api/channels';
import { openApiHost } from './api/host';
import type { ApiHost } from './api/host';
import { electronJobProcessFactory } from './jobs/electron-process';
import { buildMenu } from './shell/menu';
import { handleMediaScheme, mediaUrl, registerMediaScheme } from './shell/media-protocol';
import { notifyWhenJobsEnd } from './shell/notify';
import { hardenApp, hardenSession, isTrustedFrame } from './shell/security';
import { fitToDisplays, readWindowState, writeWindowState } from './shell/window-state';

const here = fileURLToPath(new URL('.', import.meta.url));
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const appUrl = () => devServerUrl ?? pathToFileURL(join(here, '../renderer/index.html')).toString();
const dataDir = () => defaultDataDir(process.env, app.getPath('userData'));

let win: BrowserWindow | null = null;
let host: ApiHost | null = null;

registerMediaScheme();
hardenApp(appUrl);

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the database; it gets focus instead.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.whenReady().then(start).catch(fail);
}

function fail(err: unknown): void {
  dialog.showErrorBox('GANomaly Inspector could not start', err instanceof Error ? err.message : String(err));
  app.exit(1);
}

async function pickPaths(kind: PickKind, title?: string): Promise<string[]> {
  const options: Electron.OpenDialogOptions = {
    title: title ?? (kind === 'folders' ? 'Choose folders of part images' : 'Choose part images'),
    properties: kind === 'folders' ? ['openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'],
    filters: kind === 'files' ? [{ name: 'Images', extensions: ['png', 'jpg', 'jpeg', 'bmp', 'tif', 'tiff', 'webp', 'gif'] }] : [],
  };
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return r.canceled ? [] : r.filePaths;
}

async function savePath(suggestedName: string, title: string): Promise<string | null> {
  const options: Electron.SaveDialogOptions = {
    title,
    defaultPath: join(app.getPath('documents'), suggestedName),
    filters: [{ name: 'Model archive', extensions: ['zip'] }],
  };
  const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  return r.canceled || !r.filePath ? null : r.filePath;
}

function createWindow(): BrowserWindow {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const state = fitToDisplays(
    readWindowState(stateFile),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const w = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'GANomaly Inspector',
    // Linux shows this in the task bar; Windows and macOS take the packaged app's icon.
    icon: join(app.getAppPath(), 'resources', 'icon.png'),
    backgroundColor: '#1b1d22',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  if (state.maximized) w.maximize();
  w.once('ready-to-show', () => w.show());
  w.on('close', () => writeWindowState(stateFile, { ...w.getNormalBounds(), maximized: w.isMaximized() }));
  w.on('closed', () => {
    if (win === w) win = null;
  });
  if (devServerUrl) void w.loadURL(devServerUrl);
  else void w.loadFile(join(here, '../renderer/index.html'));
  return w;
}

async function start(): Promise<void> {
  hardenSession(Boolean(devServerUrl));
  host = openApiHost({
    dbPath: join(dataDir(), DB_FILE),
    mode: 'electron',
    version: app.getVersion(),
    mediaUrl,
    pickPaths,
    savePath,
    // Training and scoring run in a utility process (the bundled src-main/jobs/child.ts).
    jobProcessFactory: electronJobProcessFactory(utilityProcess, join(here, 'job-child.js')),
    log: (line) => console.error(line),
  });
  handleMediaScheme(host);
  const api = host;
  ipcMain.handle(IPC_REQUEST_CHANNEL, (event, name: unknown, input: unknown) => {
    if (!isTrustedFrame(event.senderFrame, appUrl())) {
      return { ok: false, error: { code: 'forbidden', message: 'Request from an untrusted frame' } };
    }
    return api.dispatcher.handle(String(name), input);
  });
  api.events.subscribe((message) => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, message);
  });
  notifyWhenJobsEnd(api.events, () => win);
  Menu.setApplicationMenu(buildMenu(() => win, dataDir(), Boolean(devServerUrl)));
  win = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let closing = false;
app.on('will-quit', (event) => {
  if (!host || closing) return;
  // Let running imports stop and the database close cleanly before the process ends.
  event.preventDefault();
  closing = true;
  void host.close().finally(() => app.quit());
});
