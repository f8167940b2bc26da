// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ApiProvider } from '../../../src-renderer/state/api-context';
import { WorkspaceProvider } from '../../../src-renderer/state/workspace';
import { TrainingLogProvider } from '../../../src-renderer/train/training-log';
import { TrainScreen } from '../../../src-renderer/train/TrainScreen';
import { memoryClient, stubCanvas } from './helpers';
import { trainingDefaults } from '../../../src-main/engine/options';

beforeAll(stubCanvas);
afterEach(cleanup);

let history: unknown[] = [];
/** What the desktop's save dialog answers, in turn: a path, null for cancelled, or a failure. */
let saveAnswers: Array<string | null | Error> = [];
let trainingSet = { count: 10, rule: 'images labelled good (train split or no split)', channels: 1, colourNote: '' };

function setup(initial: Array<Record<string, unknown>> = [], projectId = 1, mode: 'web' | 'electron' = 'web') {
  history = [];
  const models: Array<Record<string, unknown>> = [...initial];
  const api = memoryClient({
    'projects.list': () => [{ id: projectId, name: 'P', createdAt: '', imageCount: 20 }],
    'models.list': () => models,
    'models.get': (i) => ({ ...models.find((m) => m.id === i.modelId), history, runs: [] }),
    'jobs.list': () => [],
    'backend.info': () => ({ name: 'wasm', gpu: false, threads: 1, detail: 'WebAssembly SIMD' }),
    'training.set': () => trainingSet,
    'training.defaults': () => ({ options: { isize: 32, epochs: 15, batchSize: 64, nz: 100, wAdv: 1, wCon: 50, wEnc: 1, seed: 0, scoreKind: 'recon-top1' }, help: { epochs: 'Passes over the good images.' }, fields: trainingDefaults().fields }),
    'training.start': () => {
      models.push({ id: 9, projectId: 1, name: 'tiny', status: 'training', createdAt: '', options: { isize: 32, epochs: 2 }, scoreKind: 'recon-top1', datasetSize: 10, backend: null, trainingSeconds: null, epochKept: null, validation: null, scoredCount: 0 });
      return { jobId: 4, modelId: 9 };
    },
    'training.cancel': () => ({ cancelled: true }),
    'models.rename': (i) => {
      if (models.some((m) => m.name === i.name && m.id !== i.modelId)) throw new Error(`A model named "${String(i.name)}" already exists in this project`);
      const m = models.find((x) => x.id === i.modelId)!;
      m.name = i.name;
      return m;
    },
    'models.import': (i) => {
      if (!String(i.folder).startsWith('/')) throw new Error('Give the full path of "models/3" (for example /data/parts or ~/parts)');
      const m = { ...modelRow(12, 'model 3 (imported)', 'ready'), datasetSize: 100, imported: { from: i.folder, inProject: 7 }, folder: '/lib/models/12', backend: { name: 'tensorflow', gpu: true } };
      models.push(m);
      return m;
    },
    'models.delete': (i) => {
      models.splice(models.findIndex((m) => m.id === i.modelId), 1);
      return { deleted: true };
    },
    'training.estimate': (i) => {
      const epochs = (i.options as { epochs?: number }).epochs ?? 15;
      if (epochs === 13) throw new Error('the job process ended unexpectedly');
      return { planText: `${epochs} epochs, ${epochs * 2} steps of 64 images`, eta: `about ${epochs} min — timed 2 steps on this machine`, seconds: epochs * 60, source: 'timed' };
    },
    'models.saveArchive': () => {
      const answer = saveAnswers.shift()!;
      if (answer instanceof Error) throw answer;
      return { available: true, path: answer };
    },
  }, mode);
  render(
    <ApiProvider client={api.client}>
      <WorkspaceProvider>
        <TrainingLogProvider>
          <TrainScreen />
        </TrainingLogProvider>
      </WorkspaceProvider>
    </ApiProvider>,
  );
  return api;
}

const modelRow = (id: number, name: string, status: string) => ({
  id, projectId: 1, name, status, createdAt: '', options: { isize: 32, epochs: 2 }, scoreKind: 'recon-top1', datasetSize: 10, backend: null,
  trainingSeconds: null, epochKept: null, validation: null, scoredCount: 0,
});

const progress = (extra: Record<string, unknown>) => ({
  name: 'job.progress' as const,
  payload: { jobId: 4, kind: 'train' as const, status: 'running' as const, projectId: 1, modelId: 9, phase: 'training', progress: 0.25, ...extra },
});

describe('train screen', () => {
  afterEach(() => { trainingSet = { count: 10, rule: 'images labelled good (train split or no split)', channels: 1, colourNote: '' }; });

  it('renames the chosen model, and says so when the name is taken', async () => {
    const api = setup([modelRow(8, 'older', 'ready'), modelRow(7, 'model 3 (imported)', 'ready')]);
    const panel = await screen.findByRole('region', { name: 'Selected model' });
    await waitFor(() => expect(within(panel).getByRole('heading', { name: 'older' })).toBeTruthy());
    fireEvent.click(within(panel).getByRole('button', { name: 'Rename…' }));
    const field = within(panel).getByLabelText('Model name');
    fireEvent.change(field, { target: { value: 'model 3 (imported)' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Rename' }));
    expect(await within(panel).findByText('A model named "model 3 (imported)" already exists in this project')).toBeTruthy();
    fireEvent.change(field, { target: { value: ' commutator, station 2 ' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Rename' }));
    await waitFor(() => expect(within(panel).getByRole('heading', { name: 'commutator, station 2' })).toBeTruthy());
    expect(api.named('models.rename').map((c) => c.input)).toEqual([{ modelId: 8, name: 'model 3 (imported)' }, { modelId: 8, name: 'commutator, station 2' }]);
  });

  it('brings in a model trained elsewhere by its folder, selects it, and says where it came from and where its files are', async () => {
    const api = setup([{ ...modelRow(8, 'here', 'ready'), folder: '/lib/models/8', imported: null }]);
    expect(await screen.findByText('/lib/models/8')).toBeTruthy();
    fireEvent.click(screen.getByText('Import a model trained elsewhere…'));
    const field = screen.getByLabelText('Model folder');
    fireEvent.change(field, { target: { value: 'models/3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import model' }));
    expect(await screen.findByText(/Give the full path of "models\/3"/)).toBeTruthy();
    fireEvent.change(field, { target: { value: ' /engineering/models/3 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Import model' }));
    expect(await screen.findByText(/Imported model 3 \(imported\): 7 of this project's images are ones it trained on/)).toBeTruthy();
    expect(api.named('models.import').map((c) => c.input)).toEqual([{ projectId: 1, folder: 'models/3' }, { projectId: 1, folder: '/engineering/models/3' }]);
    const panel = await screen.findByRole('region', { name: 'Selected model' });
    await waitFor(() => expect(within(panel).getByRole('heading', { name: 'model 3 (imported)' })).toBeTruthy());
    expect(within(panel).getByTestId('model-origin').textContent).toBe(
      'Imported from /engineering/models/3: trained elsewhere on 100 images, 7 of them in this project. Its files: /lib/models/12 on the server (to score with it on another PC, import that folder there, or download it as one .zip and import that).',
    );
    // The backend it trained with was the engineering PC's, not what scores here.
    expect(within(screen.getByRole('row', { name: /model 3 \(imported\)/ })).getByText('tensorflow (GPU), on another PC')).toBeTruthy();
    // In a browser, which may sit on another PC than that folder: the model as one file.
    expect(within(panel).getByRole('link', { name: 'download it as one .zip' }).getAttribute('href')).toBe('/download/model/12.zip');
  });

  it('saves a ready model as one .zip through the desktop save dialog, and says where or why not', async () => {
    saveAnswers = ['/home/qe/Documents/line 2.zip', null, new Error('Could not save /media/usb/line 2.zip: ENOSPC: no space left on device')];
    const api = setup([{ ...modelRow(8, 'line 2', 'ready'), folder: '/lib/models/8', imported: null }, { ...modelRow(9, 'half', 'training'), folder: '/lib/models/9', imported: null }], 1, 'electron');
    const panel = () => screen.getByRole('region', { name: 'Selected model' });
    // A model still training has no archive to offer yet.
    await waitFor(() => expect(within(panel()).getByTestId('model-origin').textContent).toBe('Its files: /lib/models/9 (to score with it on another PC, import that folder there).'));
    fireEvent.click(screen.getByRole('row', { name: /line 2/ }));
    await waitFor(() => expect(within(panel()).getByTestId('model-origin').textContent).toBe(
      'Its files: /lib/models/8 (to score with it on another PC, import that folder there, or save it as one .zip… and import that).',
    ));
    expect(within(panel()).queryByRole('link', { name: 'download it as one .zip' })).toBeNull();
    fireEvent.click(within(panel()).getByRole('button', { name: 'save it as one .zip…' }));
    await waitFor(() => expect(within(panel()).getByTestId('model-origin').textContent).toMatch(/and import that\)\. Saved as \/home\/qe\/Documents\/line 2\.zip\.$/));
    fireEvent.click(within(panel()).getByRole('button', { name: 'save it as one .zip…' }));
    await waitFor(() => expect(api.named('models.saveArchive')).toHaveLength(2));
    await waitFor(() => expect(within(panel()).getByTestId('model-origin').textContent).not.toMatch(/Saved as/));
    fireEvent.click(within(panel()).getByRole('button', { name: 'save it as one .zip…' }));
    expect((await within(panel()).findByRole('alert')).textContent).toMatch(/ENOSPC: no space left on device/);
    expect(api.named('models.saveArchive').map((c) => c.input)).toEqual([{ modelId: 8 }, { modelId: 8 }, { modelId: 8 }]);
  });

  it('offers training on an unlabelled library, as the training rule does, and says when there is nothing to train on', async () => {
    trainingSet = { count: 49, rule: 'unlabelled images (the project has no image labelled good)', channels: 3, colourNote: 'z-cmyk.jpg has colour, the other 48 are gray' };
    setup();
    expect(await screen.findByText('Trains on the 49 unlabelled images (the project has no image labelled good), in colour (RGB): z-cmyk.jpg has colour, the other 48 are gray; a share is held out for validation')).toBeTruthy();
    expect(screen.queryByText('No images to train on')).toBeNull();
    cleanup();
    trainingSet = { count: 0, rule: 'no good or unlabelled image outside a test split', channels: 1, colourNote: '' };
    setup();
    expect(await screen.findByText('No images to train on')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Train' })).toBeNull();
  });

  it('states the backend, sends only changed options, then follows the job to the end', async () => {
    const api = setup();
    expect(await screen.findByText('the CPU')).toBeTruthy();
    expect(await screen.findByText('Trains on the 10 images labelled good (train split or no split), in gray; a share is held out for validation')).toBeTruthy();
    expect(await screen.findByText('Passes over the good images.')).toBeTruthy();
    fireEvent.change(await screen.findByDisplayValue('15'), { target: { value: '2' } });
    // A quality engineer sees what they would change; the paper's knobs wait behind "More options".
    const shown = () => [...document.querySelectorAll('form .field > span')].map((e) => e.textContent);
    expect(shown()).toEqual(['Name', 'Image size', 'Epochs', 'Crop scale', 'Score', 'Inspection region', 'Areas left out']);
    fireEvent.click(screen.getByRole('button', { name: 'More options' }));
    expect(shown()).toEqual(expect.arrayContaining(['Batch size', 'Latent size', 'Adversarial weight', 'Reconstruction weight', 'Latent weight', 'Seed', 'Learning rate']));
    fireEvent.change(screen.getByDisplayValue('64'), { target: { value: '8' } });
    fireEvent.click(screen.getByRole('button', { name: 'Train' }));
    await waitFor(() => expect(api.named('training.start')[0]?.input).toEqual({ projectId: 1, options: { epochs: 2, batchSize: 8 } }));

    act(() => api.emit(progress({ epoch: 1, epochs: 2, batch: 1, batches: 2, losses: { errD: 1.2, errG: 30 }, imagesPerSecond: 12.5, etaSeconds: 75 })));
    expect(await screen.findByRole('progressbar', { name: 'Training progress' })).toHaveProperty('outerHTML', expect.stringContaining('aria-valuenow="25"'));
    expect(screen.getByText(/epoch 1 of 2 · batch 1 of 2 · 12.5 images\/s · about 1 min 15 s left/)).toBeTruthy();
    // The table comes from the store's history, re-read when a new validation result shows up.
    history = [{ epoch: 1, seconds: 3, losses: { errD: 1, errG: 25 }, validation: { errG: 27.5 } }];
    act(() => api.emit(progress({ progress: 0.5, epoch: 1, epochs: 2, batch: 2, batches: 2, losses: { errD: 1, errG: 25 }, validation: { errG: 27.5 } })));
    expect(await screen.findByRole('table', { name: 'Validation per epoch' })).toHaveProperty('textContent', expect.stringContaining('27.5'));

    fireEvent.click(screen.getByRole('button', { name: 'Cancel training' }));
    await waitFor(() => expect(api.named('training.cancel')[0]?.input).toEqual({ modelId: 9 }));
    act(() => api.emit(progress({ status: 'cancelled', progress: 0.5 })));
    await waitFor(() => expect(screen.queryByRole('progressbar', { name: 'Training progress' })).toBeNull());
    expect(screen.getByRole('button', { name: 'Train' })).toBeTruthy();
  });

  it('draws the inspection region on a training image, or takes it typed, and says what is wrong with a bad one', async () => {
    trainingSet = { ...trainingSet, sampleUrl: 'media://image/3/original' } as typeof trainingSet;
    const api = setup();
    const reset = await screen.findByRole('button', { name: 'Reset to defaults' });
    await waitFor(() => expect((reset as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(reset);
    const field = screen.getByRole('textbox', { name: 'Inspection region' }) as HTMLInputElement;
    expect(screen.getByText(/Now: the whole image\./)).toBeTruthy();
    expect(screen.getByRole('img', { name: 'A training image to draw the inspection region on' }).getAttribute('src')).toBe('media://image/3/original');
    // happy-dom lays nothing out (a 0 px box), so a pointer's client position reads as the fraction of the image.
    const canvas = screen.getByTestId('region-canvas');
    fireEvent.pointerDown(canvas, { clientX: 0.8, clientY: 0.9, pointerId: 1 });
    fireEvent.pointerMove(canvas, { clientX: 0.5, clientY: 0.5, pointerId: 1 });
    fireEvent.pointerUp(canvas, { clientX: 0.1, clientY: 0, pointerId: 1 });
    expect(field.value).toBe('10,0,70,90');
    expect(screen.getByText(/Now: x 10–80 %, y 0–90 % of each image\./)).toBeTruthy();
    expect((document.querySelector('.region-box') as HTMLElement).style.width).toBe('70%');
    fireEvent.change(field, { target: { value: '50,0,60,100' } });
    expect(await screen.findByText('Region "50,0,60,100": left + width is 110 %, past the image\'s right edge (100 %)')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Train' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(field, { target: { value: '0,0,75,100' } });
    fireEvent.click(screen.getByRole('button', { name: 'Train' }));
    await waitFor(() => expect(api.named('training.start')[0]?.input).toEqual({ projectId: 1, options: { region: '0,0,75,100' } }));
  });

  it('draws areas to leave out on the same image, lists them to remove one, and says what is wrong with a typed one', async () => {
    trainingSet = { ...trainingSet, sampleUrl: 'media://image/3/original' } as typeof trainingSet;
    const api = setup();
    const reset = await screen.findByRole('button', { name: 'Reset to defaults' });
    await waitFor(() => expect((reset as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(reset);
    const areas = screen.getByRole('textbox', { name: 'Areas left out' }) as HTMLInputElement;
    const canvas = screen.getByTestId('region-canvas');
    const drag = (from: [number, number], to: [number, number]) => {
      fireEvent.pointerDown(canvas, { clientX: from[0], clientY: from[1], pointerId: 1 });
      fireEvent.pointerUp(canvas, { clientX: to[0], clientY: to[1], pointerId: 1 });
    };
    fireEvent.click(screen.getByRole('radio', { name: 'an area to leave out' }));
    drag([0.4, 0.1], [0.6, 0.2]);
    drag([0, 0.8], [0.1, 1]);
    expect(areas.value).toBe('40,10,20,10; 0,80,10,20');
    expect((screen.getByRole('textbox', { name: 'Inspection region' }) as HTMLInputElement).value).toBe(''); // the region is not redrawn
    expect(screen.getAllByTestId('left-out-box').map((b) => b.style.left)).toEqual(['40%', '0%']);
    expect(screen.getByText(/Area 2: x 0–10 %, y 80–100 %/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove area 1' }));
    expect(areas.value).toBe('0,80,10,20');
    fireEvent.change(areas, { target: { value: '0,80,10,20; 95,0,10,10' } });
    expect(await screen.findByText('Left-out area 2 "95,0,10,10": left + width is 105 %, past the image\'s right edge (100 %)')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Train' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(areas, { target: { value: '0,80,10,20' } });
    fireEvent.click(screen.getByRole('button', { name: 'Train' }));
    await waitFor(() => expect(api.named('training.start')[0]?.input).toEqual({ projectId: 1, options: { leaveOut: '0,80,10,20' } }));
  });

  it('starts a new model from the newest model\'s inspection region and left-out areas (a station\'s stay), and Reset keeps them', async () => {
    const older = { ...modelRow(2, 'first camera setup', 'ready'), options: { isize: 32, region: '5,5,90,90' } };
    const newest = { ...modelRow(3, 'line 1, March', 'ready'), options: { isize: 32, region: '0,0,60,100', leaveOut: '10,10,5,5' } };
    // Another project than the other tests' (whose typed values the form remembers for their project only).
    setup([older, newest], 7);
    const field = await screen.findByRole('textbox', { name: 'Inspection region' }) as HTMLInputElement;
    await waitFor(() => expect(field.value).toBe('0,0,60,100'));
    expect((screen.getByRole('textbox', { name: 'Areas left out' }) as HTMLInputElement).value).toBe('10,10,5,5');
    expect(screen.getByText(/Now: x 0–60 %, y 0–100 % of each image, as “line 1, March”\./)).toBeTruthy();
    fireEvent.change(field, { target: { value: '' } });
    expect(screen.getByText(/Now: the whole image\./)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Reset to defaults' }));
    expect(field.value).toBe('0,0,60,100');
  });

  it('shows the measured ETA before Train is pressed, asks again once the options settle, and says why when there is none', async () => {
    const api = setup();
    const line = async (text: RegExp) => waitFor(() => expect(screen.getByTestId('train-estimate').textContent).toMatch(text));
    // The form remembers the last test's values; Reset works once the defaults have arrived (it is disabled before).
    const reset = await screen.findByRole('button', { name: 'Reset to defaults' });
    await waitFor(() => expect((reset as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(reset);
    await line(/^About 15 min — timed 2 steps on this machine · 15 epochs, 30 steps of 64 images$/);
    expect(api.named('training.estimate').at(-1)?.input).toEqual({ projectId: 1, options: {} });
    const asked = api.named('training.estimate').length;
    // Typing 1, 10, then 12: one request for the value it settles on, not one per keystroke.
    const epochs = screen.getByDisplayValue('15');
    for (const v of ['1', '10', '12']) fireEvent.change(epochs, { target: { value: v } });
    await line(/^About 12 min .* · 12 epochs, 24 steps/);
    expect(api.named('training.estimate').slice(asked).map((c) => c.input)).toEqual([{ projectId: 1, options: { epochs: 12 } }]);
    // A field to fix first: nothing asked. A failed estimate is a line of text; the form still trains.
    fireEvent.change(epochs, { target: { value: '0' } });
    await new Promise((r) => setTimeout(r, 600));
    expect(api.named('training.estimate')).toHaveLength(asked + 1);
    fireEvent.change(epochs, { target: { value: '13' } });
    await line(/^Training time not estimated: the job process ended unexpectedly$/);
    fireEvent.click(screen.getByRole('button', { name: 'Train' }));
    await waitFor(() => expect(api.named('training.start')[0]?.input).toEqual({ projectId: 1, options: { epochs: 13 } }));
  });

  it('explains bad options next to the field and does not send them', async () => {
    const api = setup();
    fireEvent.change(await screen.findByDisplayValue('32'), { target: { value: '40' } });
    expect(screen.getByText('A multiple of 16')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Train' }) as HTMLButtonElement).disabled).toBe(true);
    expect(api.named('training.start')).toEqual([]);
  });

  it('selects a training model when it starts, then lets the user choose another while it runs', async () => {
    const api = setup([modelRow(8, 'older', 'ready'), modelRow(9, 'tiny', 'training')]);
    const row = async (name: string) => (await within(await screen.findByRole('table', { name: 'Models' })).findByText(name)).closest('tr')!;
    act(() => api.emit(progress({ epoch: 1, epochs: 2 })));
    await waitFor(async () => expect((await row('tiny')).getAttribute('aria-selected')).toBe('true'));
    fireEvent.click(await row('older'));
    act(() => api.emit(progress({ progress: 0.3, epoch: 1, epochs: 2 })));
    await waitFor(async () => expect((await row('older')).getAttribute('aria-selected')).toBe('true'));
    expect((await row('tiny')).getAttribute('aria-selected')).toBe('false');
  });

  it('shows the epochs of the chosen model once its training has ended', async () => {
    const api = setup([modelRow(9, 'tiny', 'training')]);
    expect(await screen.findByText('No epochs recorded yet.')).toBeTruthy();
    history = [{ epoch: 1, seconds: 3, losses: { errD: 1, errG: 25 }, validation: { errG: 27.5 } }];
    act(() => api.emit({ name: 'library.changed', payload: { projectId: 1, what: 'models' } }));
    expect(await screen.findByRole('table', { name: 'Validation per epoch' })).toHaveProperty('textContent', expect.stringContaining('27.5'));
  });

  it('deletes the chosen model only after asking, and the workspace moves to the one left', async () => {
    const api = setup([modelRow(8, 'older', 'ready'), modelRow(7, 'oldest', 'ready')]);
    const models = await screen.findByRole('table', { name: 'Models' });
    fireEvent.click((await within(models).findByText('older')).closest('tr')!);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete model…' }));
    const ask = await screen.findByRole('alertdialog', { name: 'Delete model' });
    expect(ask.textContent).toMatch(/^Delete older with its 0 scores, its threshold and its files\? Reviews of parts stay\. This cannot be undone\./);
    fireEvent.click(within(ask).getByRole('button', { name: 'Keep it' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(api.named('models.delete')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Delete model…' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(api.named('models.delete').map((c) => c.input)).toEqual([{ modelId: 8 }]));
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Models' })).queryByText('older')).toBeNull());
    expect(await screen.findByRole('region', { name: 'Selected model' })).toHaveProperty('textContent', expect.stringContaining('oldest'));
  });

  it('says when parts the chosen model trained on were since reviewed defect, and that a new model leaves them out', async () => {
    setup([{ ...modelRow(8, 'older', 'ready'), trainedOnRejected: 2 }]);
    expect(await screen.findByText(/^2 images older trained or validated on were since reviewed defect or unsure\. A new model leaves them out: train one to stop teaching them as good\.$/)).toBeTruthy();
  });
});
