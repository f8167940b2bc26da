// Deletes the data folder the config made for this run's web server.
import { rm } from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
  const dir = process.env.INSPECTOR_E2E_DATA;
  if (dir && dir.includes('inspector-e2e-')) await rm(dir, { recursive: true, force: true });
}
