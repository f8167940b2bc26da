// The whole inspection workflow in a real browser against the local web mode with a fresh library:
// import elpv-mono through the path field, train a tiny model, score, see the ranking, open Compare,
// move the threshold, review three images with the keyboard, export CSV and check its rows.
// A screenshot of each screen lands in test-results/e2e/workflow-*.png.
import { existsSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { ELPV_DIR } from '../fixtures/elpv';

const DATA = ELPV_DIR;
const SHOTS = 'test-results/e2e';

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/workflow-${name}.png`, fullPage: true });
}

/** RFC 4180 rows (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

const screenLink = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name, exact: true });

const count = async (page: Page, testId: string): Promise<number> => Number((await page.getByTestId(testId).textContent())!.replace(/[^\d]/g, ''));

test.skip(!existsSync(DATA), `the elpv-mono images are not at ${DATA}`);

test('import, train, rank, compare, threshold, review and export', async ({ page }) => {
  test.setTimeout(20 * 60_000);
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));

  // Library: import through the path field (a browser cannot see dropped paths).
  await page.goto(`/?token=${process.env.INSPECTOR_E2E_TOKEN}#/library`);
  await expect(page.getByText('No images yet')).toBeVisible();
  await page.getByLabel('Folder or image paths').fill(DATA);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Last import' })).toBeVisible({ timeout: 5 * 60_000 });
  const counts = page.getByRole('table', { name: 'Images by label and split' });
  await expect(counts.getByRole('row', { name: /^Good/ })).toContainText('470');
  await expect(counts.getByRole('row', { name: /^Defect/ })).toContainText('313');
  await expect(page.locator('.thumb img').first()).toBeVisible();
  // Each tile names its folder: ELPV's cells are cellNNNN.png in every folder.
  await expect(page.locator('.thumb figcaption').first()).toHaveText(/^(good|defective|maybe_defective|likely_defective)\/cell\d+\.png$/);
  await shot(page, '1-library');
  // Following the camera folder: the first look is at once (nothing new in it), then it stops when told.
  await page.getByRole('button', { name: 'Follow these folders' }).click();
  await expect(page.getByRole('status', { name: 'Following' })).toContainText(/last look .*: 0 new; not scored \(no model chosen\)\./, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Stop following' }).click();
  await expect(page.getByRole('button', { name: 'Follow these folders' })).toBeVisible();

  // Train: a tiny run, then score every image.
  await screenLink(page, 'Train').click();
  await expect(page.getByText(/Training runs on the (CPU|GPU)/)).toBeVisible();
  await page.getByRole('button', { name: 'More options' }).click();
  await page.locator('input[name=name]').fill('e2e tiny');
  await page.locator('input[name=isize]').fill('32');
  await page.locator('input[name=epochs]').fill('1');
  await page.locator('input[name=batchSize]').fill('32');
  await page.locator('input[name=ngf]').fill('16');
  await page.locator('input[name=ndf]').fill('16');
  // The inspection region, drawn with the mouse over a training image (the cells' outer tenth and twentieth left out).
  const canvas = page.getByTestId('region-canvas');
  await expect(canvas.locator('img')).toHaveJSProperty('complete', true);
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.05);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.95);
  await page.mouse.up();
  await expect(page.getByRole('textbox', { name: 'Inspection region' })).toHaveValue('10,5,80,90');
  await expect(page.getByText(/Now: x 10–90 %, y 5–95 % of each image\./)).toBeVisible();
  // An area inside it left out (a label would sit there), drawn on the same image.
  await page.getByRole('radio', { name: 'an area to leave out' }).check();
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await page.mouse.up();
  await expect(page.getByRole('textbox', { name: 'Areas left out' })).toHaveValue('20,20,10,10');
  await expect(page.getByRole('textbox', { name: 'Inspection region' })).toHaveValue('10,5,80,90');
  // Before Train is pressed: the plan of these options and an ETA measured by timing 2 real steps in a job process.
  await expect(page.getByTestId('train-estimate')).toHaveText(
    /^(Under a minute|About \d+ min) — timed 2 steps on this machine \(.*\) · 1 epoch, \d+ steps of 32 images$/, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('progressbar', { name: 'Training progress' })).toBeVisible({ timeout: 60_000 });
  await shot(page, '2-training');
  // Scoring may start by itself after training or wait for the button; either way wait for all 1,074.
  const score = page.getByRole('button', { name: 'Score all images' });
  const showResults = page.getByRole('link', { name: 'Show results' });
  await expect(score.or(showResults).first()).toBeVisible({ timeout: 10 * 60_000 });
  await expect(page.getByRole('table', { name: 'Models' })).toContainText('e2e tiny');
  if (await score.isVisible()) await score.click();
  await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('1,074 scored', { timeout: 10 * 60_000 });
  await expect(showResults).toBeVisible();
  await shot(page, '3-trained');

  // Results: most anomalous first.
  await page.getByRole('link', { name: 'Show results' }).click();
  const rows = page.getByTestId('ranking-row');
  await expect(rows.first()).toBeVisible();
  const scores = await rows.evaluateAll((els) => els.slice(0, 10).map((el) => Number(el.children[4].textContent)));
  expect(scores.length).toBeGreaterThan(5);
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  // The model's own images are marked: the train split's good images are what it trained or validated on.
  const split = page.getByLabel('Split');
  await split.selectOption('train');
  await expect(rows.first()).toContainText('trained on');
  await split.selectOption('test');
  await expect(rows.first()).not.toContainText('trained on');
  await split.selectOption('all');
  await expect.poll(() => rows.first().evaluate((el) => Number(el.children[4].textContent))).toBe(scores[0]);
  await shot(page, '4-results');
  // In a laptop's 1024 px window the flag and review columns stay inside the ranking (calibrated and percentile give way).
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: 1024, height: 700 });
  const ranking = await page.getByRole('table', { name: 'Ranking' }).boundingBox();
  const review = await page.getByRole('columnheader', { name: 'Review' }).boundingBox();
  expect(review!.x + review!.width).toBeLessThanOrEqual(ranking!.x + ranking!.width);
  await expect(page.getByRole('columnheader', { name: 'Percentile' })).toBeHidden();
  await page.setViewportSize(viewport);
  await expect(page.getByRole('columnheader', { name: 'Percentile' })).toBeVisible();

  // Compare: the top image with its reconstruction and difference map.
  await rows.first().click();
  await expect(page).toHaveURL(/#\/compare\/\d+/);
  for (const name of ['Original', 'Reconstruction', 'Difference']) await expect(page.locator('.panel figcaption', { hasText: name }).first()).toBeVisible();
  await expect(page.locator('.panel img').nth(1)).toHaveJSProperty('complete', true);
  expect(await page.locator('.panel img').nth(1).evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
  // The original is shown cut to the region, as the model saw it, and the heat map covers the same 240 x 270 of the 300 px cell.
  await expect(page.getByTestId('compare-region')).toHaveText('x 10–90 %, y 5–95 % of each image');
  await expect(page.getByTestId('compare-left-out')).toHaveText('x 20–30 %, y 20–30 % (filled with each image\'s mean)');
  const size = (nth: number) => page.locator('.panel img').nth(nth).evaluate((img) => {
    const i = img as unknown as { complete: boolean; naturalWidth: number; naturalHeight: number };
    return i.complete ? [i.naturalWidth, i.naturalHeight] : null;
  });
  await expect.poll(() => size(0)).toEqual([240, 270]);
  await expect.poll(() => size(2)).toEqual([240, 270]);
  await shot(page, '5-compare');

  // Threshold: a suggestion, then moving it changes the flagged count and the confusion matrix at once; then save.
  await screenLink(page, 'Threshold').click();
  await expect(page.getByTestId('flagged-count')).toBeVisible();
  const slider = page.getByTestId('threshold-slider');
  const min = Number(await slider.getAttribute('min'));
  const max = Number(await slider.getAttribute('max'));
  // Catch known defects: the highest threshold that flags at least 95 % of the labelled defects, said with its cost.
  await page.getByRole('button', { name: 'Catch known defects' }).click();
  // Then what it catches of defects it was not chosen on (each left out of the choice in turn).
  await expect(page.getByTestId('suggestion-basis')).toHaveText(/^flags \d+ of \d+ known defects \(\d+ %, at least 95 % asked\) and \d+ of \d+ good parts \(\d+ %\)\. Chosen on these very defects: with each left out of the choice in turn, \d+ of \d+ are caught \(\d+ %\), what to expect of new ones$/);
  const caught = await count(page, 'tp');
  expect(caught / (caught + (await count(page, 'fn')))).toBeGreaterThanOrEqual(0.95);
  await page.getByLabel('Threshold value').fill(String(min + (max - min) * 0.8));
  const flaggedHigh = await count(page, 'flagged-count');
  const tpHigh = await count(page, 'tp');
  await page.getByLabel('Threshold value').fill(String(min + (max - min) * 0.3));
  const flaggedLow = await count(page, 'flagged-count');
  expect(flaggedLow).toBeGreaterThan(flaggedHigh);
  expect(await count(page, 'tp')).toBeGreaterThanOrEqual(tpHigh);
  await page.getByRole('button', { name: 'Save threshold' }).click();
  await expect(page.getByText('saved', { exact: true })).toBeVisible();
  await shot(page, '6-threshold');

  await screenLink(page, 'Metrics').click();
  await expect(page.getByTestId('auroc')).toHaveText(/0\.\d{3}|1\.000/);
  // Beside it, the model-free baseline on the same parts.
  await expect(page.getByText(/0\.5 = chance, 1 = perfect ranking; model-free baseline (0\.\d{3}|1\.000); lead [+−]\d\.\d{3}, 95 % interval [+−]\d\.\d{3} to [+−]\d\.\d{3}$/)).toBeVisible();
  // And in words, whether the model earns its place on these parts.
  await expect(page.getByTestId('baseline-verdict')).toHaveText(/AUROC (0\.\d{3}|1\.000) against (0\.\d{3}|1\.000) \([+−]\d\.\d{3}\)/);
  await shot(page, '7-metrics');

  // Review: three decisions with the keyboard, each saved at once.
  await screenLink(page, 'Review').click();
  await expect(page.getByRole('toolbar', { name: 'Decision' })).toBeVisible();
  // Who reviews: the name saved with each decision.
  await page.getByRole('button', { name: 'Add your name' }).click();
  await page.getByLabel('Your name').fill('Q. Inspector');
  await page.getByLabel('Your name').press('Enter');
  await expect(page.getByTestId('reviewer')).toHaveText('Decisions are saved as Q. Inspector. Change');
  const queueRows = page.getByTestId('queue-row');
  const reviewed: string[] = [];
  const position = page.locator('.decision-bar .num');
  await expect(position).toHaveText(/^1 \//);
  for (const [i, key] of ['d', 'g', 'u'].entries()) {
    reviewed.push((await page.locator('.queue-row.current .ellipsis').textContent())!);
    await page.keyboard.press(key);
    await expect(position).toHaveText(new RegExp(`^${i + 2} /`));
  }
  await expect(page.getByText(/^3 of \d+ reviewed/)).toBeVisible();
  // Change the third decision, then undo the change: the earlier decision comes back.
  await page.keyboard.press('k');
  await expect(position).toHaveText(/^3 \//);
  await page.keyboard.press('d');
  await expect(position).toHaveText(/^4 \//);
  await expect(page.locator('.queue-row').nth(2)).toContainText('defect');
  await page.keyboard.press('z');
  await expect(position).toHaveText(/^3 \//);
  await expect(page.locator('.queue-row').nth(2)).toContainText('unsure');
  await expect(page.getByText(/^3 of \d+ reviewed/)).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(await queueRows.count()).toBeGreaterThan(3);
  await shot(page, '8-review');

  // Export: CSV with one row per scored image and the three decisions.
  await screenLink(page, 'Export').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  const csv = parseCsv(readFileSync((await download.path())!, 'utf8'));
  const [header, ...body] = csv;
  expect(header).toEqual(expect.arrayContaining(['path', 'label', 'score', 'flagged', 'decision']));
  expect(body.length).toBe(1074);
  const col = (name: string) => header.indexOf(name);
  const decided = body.filter((r) => r[col('decision')]);
  expect(decided.map((r) => r[col('decision')]).sort()).toEqual(['defect', 'good', 'unsure']);
  expect(decided.map((r) => r[col('path')].split('/').pop()).sort()).toEqual([...reviewed].sort());
  // When and by whom: for an audit of who dispositioned each part.
  expect(decided.map((r) => r[col('reviewed_by')])).toEqual(['Q. Inspector', 'Q. Inspector', 'Q. Inspector']);
  expect(decided.every((r) => Date.parse(r[col('reviewed_at')]) > 0)).toBe(true);
  expect(body.every((r) => Number.isFinite(Number(r[col('score')])))).toBe(true);
  await expect(page.getByTestId('export-preview')).toContainText('path');
  // The review trail for an audit: three decisions, the third changed and the change undone, each signed.
  const [trailFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download review history (CSV)' }).click()]);
  const [trailHeader, ...trail] = parseCsv(readFileSync((await trailFile.path())!, 'utf8'));
  expect(trail.map((r) => r[trailHeader.indexOf('decision')])).toEqual(['defect', 'good', 'unsure', 'defect', 'unsure']);
  expect(trail.every((r) => r[trailHeader.indexOf('reviewed_by')] === 'Q. Inspector')).toBe(true);
  // The undo restored "unsure" and says which review it took back: the change to "defect".
  expect(trail[4][trailHeader.indexOf('undoes')]).toBe(trail[3][trailHeader.indexOf('review_id')]);
  expect(trail.slice(0, 4).every((r) => r[trailHeader.indexOf('undoes')] === '')).toBe(true);
  // The one-page report puts the model-free baseline and the comparison in words beside the model's AUROC.
  const report = page.getByRole('region', { name: 'Report' });
  await expect(report.getByRole('row', { name: /Model-free baseline AUROC (0\.\d{3}|1\.000)/ })).toBeVisible();
  await expect(report.getByText(/AUROC (0\.\d{3}|1\.000) against (0\.\d{3}|1\.000) \([+−]\d\.\d{3}\)/)).toBeVisible();
  await shot(page, '9-export');

  // The model moves to another PC as its folder: its panel names it, and Import brings such a folder in.
  await screenLink(page, 'Train').click();
  const folder = (await page.getByTestId('model-origin').locator('code').first().textContent())!;
  expect(folder).toMatch(/[/\\]models[/\\]\d+$/);
  await page.getByText('Import a model trained elsewhere…').click();
  await page.getByLabel('Model folder').fill(folder);
  await page.getByRole('button', { name: 'Import model' }).click();
  const copy = `model ${folder.split(/[/\\]/).pop()} (imported)`;
  await expect(page.getByRole('status').filter({ hasText: `Imported ${copy}:` })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Models' })).toContainText(copy);
  await expect(page.getByTestId('model-origin')).toContainText(`Imported from ${folder}: trained elsewhere on`);
  // From a browser on another computer, whose disk the server cannot read: Upload folder… sends the folder's files.
  const name = folder.split(/[/\\]/).pop()!;
  await page.getByLabel('Upload a model’s folder').setInputFiles(folder);
  await expect(page.getByRole('status').filter({ hasText: `Imported ${copy} (2):` })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Models' })).toContainText(`${copy} (2)`);
  await expect(page.getByTestId('model-origin')).toContainText(`Imported from the uploaded folder "${name}": trained elsewhere on`);
  // And as one file: the panel's download is a .zip named after the model, and Upload .zip… takes it back.
  const [zipped] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'download it as one .zip' }).click()]);
  expect(zipped.suggestedFilename()).toBe(`${copy} (2).zip`);
  await page.getByLabel('Upload a model’s .zip').setInputFiles({ name: zipped.suggestedFilename(), mimeType: 'application/zip', buffer: readFileSync(await zipped.path()) });
  await expect(page.getByRole('status').filter({ hasText: `Imported ${copy} (2) (2):` })).toBeVisible();
  await expect(page.getByTestId('model-origin')).toContainText(`Imported from the uploaded file "${copy} (2).zip": trained elsewhere on`);

  // The whole library backed up from the browser: one SQLite file, the day's reviews in it.
  await screenLink(page, 'Library').click();
  const [backup] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download a backup' }).click()]);
  expect(backup.suggestedFilename()).toMatch(/^library-\d{4}-\d{2}-\d{2}\.sqlite$/);
  const bytes = readFileSync(await backup.path());
  expect(bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
  expect(bytes.includes(Buffer.from('Q. Inspector'))).toBe(true);

  // A folder taken out of the project (imported by mistake) takes its images and scores, not their reviews: the
  // library's review history still holds every row of the trail, those of that folder saying so.
  const at = (name: string) => trailHeader.indexOf(name);
  const gone = trail[0][at('path')].replace(/[/\\][^/\\]+$/, '');
  await page.getByText(/^Folders \(/).click();
  const row = page.getByRole('table', { name: 'Folders' }).getByRole('row').filter({ hasText: gone });
  await row.getByRole('button', { name: 'Remove…' }).click();
  await expect(row.getByRole('alertdialog')).toContainText('Their reviews stay in the project’s review history.');
  await row.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Took [\d,]+ images? of / })).toBeVisible();
  const [history] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download every project’s review history (CSV)' }).click()]);
  expect(history.suggestedFilename()).toBe('library-reviews.csv');
  const [historyHeader, ...kept] = parseCsv(readFileSync((await history.path())!, 'utf8'));
  expect(historyHeader).toEqual(trailHeader);
  expect(kept.map((r) => [r[at('review_id')], r[at('decision')], r[at('reviewed_by')]])).toEqual(trail.map((r) => [r[at('review_id')], r[at('decision')], r[at('reviewed_by')]]));
  expect(kept.map((r) => r[at('removed_with')])).toEqual(trail.map((r) => (r[at('path')].startsWith(`${gone}/`) ? 'folder' : '')));

  // The folder imported again: nobody has reviewed its new images, yet Compare shows what a part was decided before it
  // went, and that a new model counts it so.
  await page.getByLabel('Folder or image paths').fill(gone);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const lastImport = page.getByRole('region', { name: 'Last import' });
  await expect(lastImport).toContainText(gone, { timeout: 5 * 60_000 });
  await expect(lastImport.locator('.badge', { hasText: /^done$/ })).toBeVisible({ timeout: 5 * 60_000 });
  // The model imported last is the one selected: back to the one that scored the library.
  const picker = page.getByRole('combobox', { name: 'Model' });
  await picker.selectOption((await picker.locator('option', { hasText: /^e2e tiny · / }).getAttribute('value'))!);
  await screenLink(page, 'Results').click();
  await page.getByRole('button', { name: 'Score them' }).click();
  await expect(page.getByRole('status').filter({ hasText: /not (in|scored by)/ })).toBeHidden({ timeout: 5 * 60_000 });
  await page.getByLabel('Folder').selectOption(gone);
  await page.getByLabel('File name holds').fill(trail[0][at('path')].split(/[/\\]/).pop()!);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('unreviewed');
  await rows.first().click();
  const before = page.getByTestId('reviews-before');
  await before.locator('summary').click();
  await expect(before.locator('summary')).toHaveText('Reviewed before its folder was taken out (1)');
  await expect(before).toContainText(`${trail[0][at('decision')]} by Q. Inspector`);
  await expect(before).toContainText(`Until it is reviewed again, a new model’s training set counts it as ${trail[0][at('decision')]}, as it was when it went.`);
  await shot(page, '10-reviewed-before');

  expect(problems).toEqual([]);
});
