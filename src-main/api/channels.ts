// Transport names shared by main, preload and the web server. Kept apart from contract.ts so the
// sandboxed preload bundle does not pull in zod.
export const IPC_REQUEST_CHANNEL = 'inspector:request';
export const IPC_EVENT_CHANNEL = 'inspector:event';
export const MEDIA_SCHEME = 'inspector-media';
