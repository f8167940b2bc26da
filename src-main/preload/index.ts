// Sandboxed preload (emitted as CommonJS): exposes exactly one narrow bridge, never ipcRenderer itself.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from '../api/channels';
import type { Envelope, EventMessage, InspectorBridge } from '../api/contract';

const bridge = {
  request: (name: string, input: unknown) => ipcRenderer.invoke(IPC_REQUEST_CHANNEL, name, input) as Promise<Envelope<unknown>>,
  onEvent(listener: (message: EventMessage) => void) {
    const relay = (_event: IpcRendererEvent, message: EventMessage) => listener(message);
    ipcRenderer.on(IPC_EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, relay);
    };
  },
  pathForFile(file: File) {
    try {
      return webUtils.getPathForFile(file);
    } catch {
      return ''; // not a file from the OS (e.g. made in the page)
    }
  },
  platform: process.platform,
} satisfies InspectorBridge;

contextBridge.exposeInMainWorld('inspector', bridge);
