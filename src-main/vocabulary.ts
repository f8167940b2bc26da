// The names every layer shares (engine, store, API, renderer). Each union type is declared here once
// and imported everywhere else; test/unit/architecture checks that no other module spells one out again.
// Pure data, no imports: the renderer may import these constants too.

/** Every score an image gets; `baseline` is model-free and never a model's own kind. */
export const SCORE_KINDS = ['recon-top1', 'latent', 'baseline'] as const;
export type ScoreKind = (typeof SCORE_KINDS)[number];
/** The kinds a model may rank by. */
export const MODEL_SCORE_KINDS = ['recon-top1', 'latent'] as const;
export type ModelScoreKind = (typeof MODEL_SCORE_KINDS)[number];

/** Compute backends the engine can run on, and what a user may ask for. */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const BACKEND_PREFERENCES = ['auto', ...BACKEND_NAMES] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];
