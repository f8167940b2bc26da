// The compute backends by name, in the order 'auto' tries them. Kept apart from select.ts (which loads
// tfjs) so the API contract and the CLI can name them without loading TensorFlow.js.
export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
