// The application menu: standard roles plus the data folder and an About box.
import { app, dialog, Menu, shell } from 'electron';
import type { BrowserWindow, MenuItemConstructorOptions } from 'electron';

export function buildMenu(getWindow: () => BrowserWindow | null, dataDir: string, dev: boolean): Menu {
  const mac = process.platform === 'darwin';
  const about = () =>
    void dialog.showMessageBox({
      type: 'info',
      title: 'About GANomaly Inspector',
      message: `GANomaly Inspector ${app.getVersion()}`,
      detail: `Anomaly detection on part images with GANomaly (Akçay et al. 2018).\nLibrary: ${dataDir}`,
    });
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Data Folder', click: () => void shell.openPath(dataDir) },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(dev ? [{ role: 'toggleDevTools' as const }] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'About GANomaly Inspector', click: about },
        { label: 'GANomaly paper (arXiv)', click: () => void shell.openExternal('https://arxiv.org/abs/1805.06725') },
        { type: 'separator' },
        { label: 'Show Window', click: () => getWindow()?.show() },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
