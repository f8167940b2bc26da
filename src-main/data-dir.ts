// The one layout of a library's data folder, for the app, the CLI and the job queue alike:
//   <dataDir>/library.sqlite           the database
//   <dataDir>/thumbnails/              thumbnails, named by image hash
//   <dataDir>/models/<id>/             a model's kept weights; checkpoint/ holds its epoch checkpoint
//   <dataDir>/maps/<id>/               a model's reconstruction and difference maps
// The folder is GANOMALY_DATA_DIR when set, else the platform's place (Electron's userData in the app,
// ~/.ganomaly-inspector for the CLI and web mode).
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const DB_FILE = 'library.sqlite';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, fallback = join(homedir(), '.ganomaly-inspector')): string {
  return env.GANOMALY_DATA_DIR?.trim() || fallback;
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env, fallback?: string): string {
  return join(defaultDataDir(env, fallback), DB_FILE);
}

/** The data folder of a database: the folder it sits in. */
export const dataDirOf = (dbPath: string): string => dirname(dbPath);

export const thumbnailsDir = (dataDir: string): string => join(dataDir, 'thumbnails');

/** What the library writes itself (thumbnails, models, maps): never imported as parts. */
export const outputDirs = (dataDir: string): string[] => [thumbnailsDir(dataDir), join(dataDir, 'models'), join(dataDir, 'maps')];

/** Where a model's files live, next to the database. */
export function modelPaths(dataDir: string, modelId: number) {
  const modelDir = join(dataDir, 'models', String(modelId));
  return { modelDir, checkpointsDir: join(modelDir, 'checkpoint'), mapsDir: join(dataDir, 'maps', String(modelId)) };
}
