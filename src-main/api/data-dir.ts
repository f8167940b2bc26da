// Where the library lives outside Electron: GANOMALY_DATA_DIR, else ~/.ganomaly-inspector.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.GANOMALY_DATA_DIR?.trim() || join(homedir(), '.ganomaly-inspector');
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultDataDir(env), 'library.sqlite');
}
