// The options form. Defaults come from the engine (training.defaults), explanations beside each field.
import { useEffect, useMemo, useState } from 'react';
import { useRequest } from '../state/api-context';
import { ErrorNotice } from '../components/Notice';
import type { ModelSummary, OptionsPatch, TrainingSetSummary } from '../api/client';
import { parseTrainForm, valuesFromOptions, type FormDefaults, type FormValues } from './train-form';
import { estimateLines, useTrainingEstimate } from './use-estimate';
import { RegionField, type ViewTexts } from './RegionField';

const NO_DEFAULTS: FormDefaults = { options: {}, fields: [] };

// The last values typed survive the form being hidden during a training run (in the project they were typed for:
// another project is another station, whose region is not this one's).
let remembered: { projectId: number; values: FormValues; name: string } | null = null;

export function TrainForm({ projectId, trainingSet, lastModel, onStart }: {
  projectId: number; trainingSet: TrainingSetSummary;
  /** The project's newest model: a new one starts from its inspection region and left-out areas (a station's stay). */
  lastModel: Pick<ModelSummary, 'name' | 'options'> | null;
  onStart: (options: OptionsPatch, name: string) => Promise<void>;
}) {
  const defaults = useRequest('training.defaults', {});
  const form = useMemo<FormDefaults>(() => defaults.data ?? NO_DEFAULTS, [defaults.data]);
  const mine = remembered?.projectId === projectId ? remembered : null;
  const [values, setValuesState] = useState<FormValues>(() => mine?.values ?? {});
  const [name, setNameState] = useState(() => mine?.name ?? '');
  const setValues = (v: FormValues) => {
    remembered = { projectId, values: v, name };
    setValuesState(v);
  };
  const setName = (n: string) => {
    remembered = { projectId, values, name: n };
    setNameState(n);
  };
  const [busy, setBusy] = useState(false);
  const [advanced, setAdvanced] = useState(false);
  const [lastRegion, lastLeaveOut] = [lastModel?.options.region ?? '', lastModel?.options.leaveOut ?? ''];
  const lastView = useMemo(() => ({ region: lastRegion, leaveOut: lastLeaveOut }), [lastRegion, lastLeaveOut]);
  const start = useMemo(() => ({ ...valuesFromOptions(form.options, form.fields), ...lastView }), [form, lastView]);
  useEffect(() => {
    if (remembered?.projectId !== projectId) setValuesState(start);
  }, [start, projectId]);
  const { options, errors } = parseTrainForm(values, form);
  const view = { region: values.region ?? '', leaveOut: values.leaveOut ?? '' };
  const fromLast = (lastView.region !== '' || lastView.leaveOut !== '') && view.region === lastView.region && view.leaveOut === lastView.leaveOut;
  const helpOf = (key: keyof ViewTexts) => defaults.data?.help[key] ?? form.fields.find((f) => f.key === key)?.help ?? '';
  const invalid = Object.keys(errors).length > 0;
  // The plan and a measured ETA of what the form holds now (not asked while a field needs fixing).
  const estimate = estimateLines(useTrainingEstimate(invalid || !defaults.data ? null : { projectId, options }));

  return (
    <section className="card">
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (invalid) return;
          setBusy(true);
          await onStart(options, name.trim());
          setBusy(false);
        }}
      >
        <div className="row spread">
          <h2>New model</h2>
          <span className="muted small">Trains on the {trainingSet.count.toLocaleString('en-US')} {trainingSet.rule}, {trainingSet.channels === 1 ? 'in gray' : `in colour (RGB)${trainingSet.colourNote ? `: ${trainingSet.colourNote}` : ''}`}; a share is held out for validation</span>
        </div>
        <ErrorNotice error={defaults.error} onRetry={defaults.reload} />
        <div className="form-grid">
          <label className="field">
            <span>Name</span>
            <input value={name} placeholder="optional" onChange={(e) => setName(e.target.value)} name="name" />
            <small className="muted">Shown in the model list; a name is made up when empty.</small>
          </label>
          {/* The left-out areas are drawn with the region, on the same image. */}
          {form.fields.filter((f) => (advanced || !f.advanced) && f.kind !== 'areas').map((f) => f.kind === 'region' ? (
            <RegionField key={f.key} value={view} onChange={(next) => setValues({ ...values, ...next })}
              sampleUrl={trainingSet.sampleUrl} errors={{ region: errors.region, leaveOut: errors.leaveOut }}
              help={{ region: helpOf('region'), leaveOut: helpOf('leaveOut') }}
              from={fromLast ? lastModel!.name : null} />
          ) : (
            <label key={f.key} className={`field${errors[f.key] ? ' invalid' : ''}`}>
              <span>{f.label}</span>
              {f.kind === 'choice' ? (
                <select name={f.key} value={values[f.key] ?? ''} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}>
                  {f.choices?.map((c) => <option key={c} value={c}>{c}</option>)}
                </select>
              ) : (
                <input
                  name={f.key}
                  inputMode={f.kind === 'int' ? 'numeric' : f.kind === 'number' ? 'decimal' : 'text'}
                  value={values[f.key] ?? ''}
                  onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
                  aria-invalid={!!errors[f.key]}
                />
              )}
              <small className={errors[f.key] ? 'bad' : 'muted'}>{errors[f.key] ?? defaults.data?.help[f.key] ?? f.help}</small>
            </label>
          ))}
        </div>
        {estimate ? (
          <p className="small" data-testid="train-estimate" aria-live="polite">
            <strong>{estimate.eta}</strong>
            {estimate.plan ? <span className="muted"> · {estimate.plan}</span> : null}
          </p>
        ) : null}
        <div className="row">
          <button type="submit" className="primary" disabled={busy || invalid || !defaults.data}>
            {busy ? 'Starting…' : 'Train'}
          </button>
          <button type="button" className="ghost" onClick={() => setAdvanced(!advanced)} aria-expanded={advanced}>
            {advanced ? 'Fewer options' : 'More options'}
          </button>
          <button type="button" className="ghost" onClick={() => setValues(start)} disabled={!defaults.data}>
            Reset to defaults
          </button>
        </div>
      </form>
    </section>
  );
}
