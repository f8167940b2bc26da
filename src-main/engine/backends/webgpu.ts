// The WebGPU backend in Node: Dawn's bindings (the optional `webgpu` package) under tfjs-backend-webgpu
// (also optional). A real GPU comes through Vulkan (Linux), Metal (macOS) or D3D12 (Windows). Without one,
// Dawn's OpenGL backend over Mesa's llvmpipe gives a software adapter: correct but slow, so it is used only
// when asked for by name, never by 'auto'.
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// String specifiers keep bundlers and tsc from resolving packages that may be absent.
const DAWN_PACKAGE = 'webgpu';
const TFJS_WEBGPU_PACKAGE = '@tensorflow/tfjs-backend-webgpu';

/** What Dawn says about an adapter (GPUAdapterInfo), plus how it was reached. */
export interface AdapterFacts {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  /** Only a compatibility-mode adapter was found (Dawn's OpenGL/GLES backends). */
  compatibilityOnly: boolean;
}

export interface WebgpuSetup {
  /** The adapter's name as shown to the user and saved with the model. */
  adapter: string;
  /** Why it counts as software, or null for a real GPU. */
  software: string | null;
  /** How Dawn reached it: its default (Vulkan / Metal / D3D12) or OpenGL. */
  via: 'default' | 'opengl';
}

const SOFTWARE_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|software|basic render driver|warp/i;

/** Why an adapter is a software rasteriser (never chosen by 'auto'), or null for a real GPU. */
export function softwareReason(a: AdapterFacts): string | null {
  const named = `${a.device} ${a.description} ${a.architecture} ${a.vendor}`.match(SOFTWARE_NAMES);
  if (named) return `a software rasteriser (${named[0]})`;
  if (a.isFallbackAdapter) return 'a fallback (CPU) adapter';
  if (a.compatibilityOnly) return 'a compatibility-mode adapter (OpenGL), not Vulkan, Metal or D3D12';
  return null;
}

/** The adapter's name for people: the driver's device and description, whichever Dawn fills in. */
export function adapterName(a: AdapterFacts): string {
  const parts = [a.vendor, a.device, a.description].map((s) => s.trim()).filter((s) => s.length > 0);
  return parts.length > 0 ? [...new Set(parts)].join(', ') : 'unnamed adapter';
}

// Minimal shapes of Dawn's objects: only what this module touches.
interface GpuAdapter {
  info: Omit<AdapterFacts, 'compatibilityOnly'>;
  features: Set<string>;
  limits: Record<string, number>;
  requestDevice(d?: object): Promise<unknown>;
}
interface Gpu { requestAdapter(o?: object): Promise<GpuAdapter | null> }
interface DawnModule { create(options: string[]): Gpu; globals: Record<string, unknown> }

let dawn: DawnModule | undefined;
/** Set once a device exists: the backend is registered with tfjs and reused from then on. */
let setup: WebgpuSetup | undefined;
/** The default (non-GL) probe's outcome, so 'auto' asks Dawn only once per process. */
let defaultProbe: Promise<{ adapter: GpuAdapter; gpu: Gpu } | null> | undefined;

async function loadDawn(): Promise<DawnModule> {
  if (dawn) return dawn;
  try {
    dawn = (await import(/* @vite-ignore */ DAWN_PACKAGE)) as DawnModule;
  } catch (err) {
    throw new Error(`the optional package '${DAWN_PACKAGE}' cannot be loaded (${firstLine(err)})`);
  }
  // tfjs refers to GPUBufferUsage, GPUMapMode, ... as globals, as in a browser.
  for (const [k, v] of Object.entries(dawn.globals)) if (!(k in globalThis)) Object.assign(globalThis, { [k]: v });
  return dawn;
}

function factsOf(a: GpuAdapter, compatibilityOnly: boolean): AdapterFacts {
  const i = a.info;
  return {
    vendor: i.vendor ?? '', architecture: i.architecture ?? '', device: i.device ?? '', description: i.description ?? '',
    isFallbackAdapter: i.isFallbackAdapter === true, compatibilityOnly,
  };
}

/**
 * Linux: whether the Vulkan loader can be found (ld.so's cache, LD_LIBRARY_PATH, the usual folders).
 * Without it Dawn's default has no backend and prints a warning on stderr on every probe; a GPU
 * driver installs the loader (libvulkan1 on Debian), so its absence already says "no GPU here".
 */
export function vulkanLoaderPresent(): boolean {
  if (process.platform !== 'linux') return true;
  const lib = 'libvulkan.so.1';
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib64', '/lib'];
  if (dirs.some((d) => existsSync(join(d, lib)))) return true;
  try {
    return readFileSync('/etc/ld.so.cache').includes(lib);
  } catch {
    return false;
  }
}

async function probeDefault(d: DawnModule): Promise<{ adapter: GpuAdapter; gpu: Gpu } | null> {
  if (!vulkanLoaderPresent()) return null;
  const gpu = d.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  return adapter ? { adapter, gpu } : null;
}

async function openGlAdapter(d: DawnModule): Promise<{ adapter: GpuAdapter; gpu: Gpu }> {
  // Headless EGL: without a display Mesa's EGL fails to initialise unless told to use no platform.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  const gpu = d.create(['backend=opengl']);
  const adapter = await gpu.requestAdapter({ featureLevel: 'compatibility' });
  if (!adapter) {
    throw new Error('no GPU adapter: Dawn found none through Vulkan/Metal/D3D12, nor through OpenGL ' +
      `(EGL_PLATFORM=${process.env.EGL_PLATFORM}; on Debian it needs libegl-dev, whose libEGL.so Dawn loads, libegl-mesa0 and libgl1-mesa-dri)`);
  }
  return { adapter, gpu };
}

/** Exposes `gpu` as navigator.gpu, which tfjs-backend-webgpu reads (Node 20 has no navigator). */
function exposeGpu(gpu: Gpu): void {
  const g = globalThis as { navigator?: object };
  if (g.navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
}

/**
 * Makes 'webgpu' the tfjs backend. Without `allowSoftware` (the 'auto' chain) only a real GPU adapter is
 * taken; with it (asked for by name) a software one is too, through Dawn's OpenGL backend when Dawn's
 * default finds nothing. Throws a one-line reason when neither is possible.
 */
export async function setWebgpuBackend(allowSoftware: boolean): Promise<WebgpuSetup> {
  if (setup) {
    if (setup.software && !allowSoftware) {
      throw new Error(`only ${setup.software} ('${setup.adapter}'); it is used when asked for with --backend webgpu`);
    }
    if (!(await tf.setBackend('webgpu'))) throw new Error('the WebGPU backend failed to initialise');
    return setup;
  }
  const d = await loadDawn();
  const found = await (defaultProbe ??= probeDefault(d));
  let chosen = found;
  let via: WebgpuSetup['via'] = 'default';
  let software = found ? softwareReason(factsOf(found.adapter, false)) : null;
  if (!allowSoftware) {
    if (!found) {
      throw new Error(`no GPU adapter through ${vulkanLoaderPresent() ? 'Vulkan, Metal or D3D12' : 'Vulkan (no libvulkan.so.1: no GPU driver installed)'}` +
        ' (a software adapter is used only when asked for with --backend webgpu)');
    }
    if (software) {
      throw new Error(`only ${software} ('${adapterName(factsOf(found.adapter, false))}'); it is used when asked for with --backend webgpu`);
    }
  } else if (!found || software) {
    chosen = await openGlAdapter(d);
    via = 'opengl';
    software = softwareReason(factsOf(chosen.adapter, true));
  }
  const { adapter, gpu } = chosen as NonNullable<typeof chosen>;
  const name = adapterName(factsOf(adapter, via === 'opengl'));
  await registerTfjsBackend(gpu, adapter);
  if (!(await tf.setBackend('webgpu'))) throw new Error(`the WebGPU backend failed to initialise on '${name}'`);
  setup = { adapter: name, software, via };
  return setup;
}

async function registerTfjsBackend(gpu: Gpu, adapter: GpuAdapter): Promise<void> {
  exposeGpu(gpu);
  let mod: { WebGPUBackend: new (device: unknown, info?: unknown) => tf.KernelBackend };
  try {
    mod = await import(/* @vite-ignore */ TFJS_WEBGPU_PACKAGE);
  } catch (err) {
    throw new Error(`the optional package '${TFJS_WEBGPU_PACKAGE}' cannot be loaded (${firstLine(err)})`);
  }
  // The package registers its own factory on import; ours uses the adapter chosen here and asks for no
  // optional features (tfjs 4.22 nests 'bgra8unorm-storage' in a list, which Dawn rejects, and needs it
  // only for canvases), with the limits tfjs itself asks for.
  const limits = adapter.limits;
  const requiredLimits = Object.fromEntries(['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension',
    'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup']
    .map((k) => [k, limits[k]]));
  const device = await adapter.requestDevice({ requiredFeatures: [], requiredLimits });
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new mod.WebGPUBackend(device, adapter.info), 3);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 200);
}
