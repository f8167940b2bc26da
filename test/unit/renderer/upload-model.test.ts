// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { modelFolderFiles } from '../../../src-renderer/train/upload-model';

const chosen = (path: string) => {
  const f = new File(['x'], path.split('/').pop()!);
  Object.defineProperty(f, 'webkitRelativePath', { value: path });
  return f;
};

describe('the files of a model folder chosen in a browser', () => {
  it('are the folder\'s own files: not its subfolders\' nor hidden ones', () => {
    const { folder, files } = modelFolderFiles([
      chosen('seed0/model.json'), chosen('seed0/netG.weights.bin'), chosen('seed0/.DS_Store'), chosen('seed0/maps/1.png'),
    ]);
    expect(folder).toBe('seed0');
    expect(files.map((f) => f.name)).toEqual(['model.json', 'netG.weights.bin']);
  });

  it('must hold model.json, or the wrong folder was chosen', () => {
    expect(() => modelFolderFiles([chosen('parts/a.png'), chosen('parts/seed0/model.json')])).toThrow(
      'That folder holds no model.json: choose the model\u2019s own folder, the one that holds model.json.',
    );
  });
});
