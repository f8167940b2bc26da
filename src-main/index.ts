// Electron main process entry (the window and services arrive with the shell).
import { app, BrowserWindow } from 'electron';

app.whenReady().then(() => {
  const win = new BrowserWindow({ width: 1280, height: 800, webPreferences: { contextIsolation: true, sandbox: true } });
  void win.loadURL('about:blank');
});
