// Run by permission tests in a child process that has no permission override: root reads chmod 000
// files anyway, so "permission denied" can only be seen by a process without root's override.
import { inspectImage } from '../../../src-main/library/inspect';
import { walkImageFiles } from '../../../src-main/library/walk';

async function main(): Promise<void> {
  const [walkRoot, file] = process.argv.slice(2);
  const walked: string[] = [];
  for await (const entry of walkImageFiles([walkRoot])) {
    walked.push(entry.kind === 'error' ? `${entry.error.kind} ${entry.error.path}` : `${entry.kind} ${entry.path}`);
  }
  let inspected: string;
  try {
    await inspectImage(file);
    inspected = 'ok';
  } catch (error) {
    inspected = (error as { kind?: string }).kind ?? String(error);
  }
  process.stdout.write(JSON.stringify({ walked, inspected }));
}

void main();
