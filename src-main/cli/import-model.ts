// `import-model <folder> --db <file> [--project <name>] [--name <model>]`: brings a model trained on another machine
// (folder mode's `train --out`, or another library's models/<id>) into a project, ready to score its parts.
import type { Command } from 'commander';
import { importModel } from '../services/import-model';
import { findProject, openLibrary } from './library-db';

interface ImportModelFlags {
  db?: string;
  project?: string;
  name?: string;
}

export async function runImportModel(folder: string, flags: ImportModelFlags): Promise<void> {
  const lib = openLibrary(flags.db, { create: true });
  try {
    const project = findProject(lib.store, flags.project, true);
    const { model: m, trainedOn, threshold } = await importModel(lib.store, lib.dataDir, { projectId: project.id, folder, name: flags.name });
    process.stdout.write(
      `model #${m.id} "${m.name}" imported into project "${project.name}" from ${m.importedFrom}: ` +
      `trained on ${trainedOn} images elsewhere (${m.trainCount} of them in this project, marked trained on), score kind ${m.scoreKind}\n` +
      (threshold ? `threshold ${threshold.value} (${threshold.source}, set ${threshold.setAt}) came with it\n` : 'no threshold came with it: set one in the app (Threshold)\n') +
      `score the project's images with it: score --db ${flags.db} --model ${m.id}\n`,
    );
  } finally {
    lib.close();
  }
}

export function register(program: Command): void {
  program
    .command('import-model')
    .description('bring a model trained elsewhere (its folder, with model.json, or its .zip) into a library project, ready to score')
    .argument('<folder>', 'the model folder: train --out <folder>, another library\'s models/<id>, or a .zip of one (as web mode downloads it)')
    .option('--db <file>', 'library database (created if absent)')
    .option('--project <name>', 'project to add it to, created if absent (default: "default", else the library\'s only project)')
    .option('--name <model>', 'its name in the project (default: the folder\'s or .zip\'s name)')
    .action((folder: string, flags: ImportModelFlags) => runImportModel(folder, flags));
}
