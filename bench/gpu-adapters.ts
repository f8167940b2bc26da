// Lists the GPU adapters Dawn (the optional `webgpu` package) finds through each of its backends, how
// this project classifies each (real GPU or software), and what 'auto' would pick.
// Run: npx tsx bench/gpu-adapters.ts
import { selectBackend } from '../src-main/engine/backends/select';
import { adapterName, softwareReason, vulkanLoaderPresent } from '../src-main/engine/backends/webgpu';

interface Adapter { info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean } }
interface Dawn { create(o: string[]): { requestAdapter(o?: object): Promise<Adapter | null> } }

async function main(): Promise<void> {
  let dawn: Dawn;
  try {
    dawn = (await import(/* @vite-ignore */ 'webgpu')) as Dawn;
  } catch (err) {
    console.log(`the optional package 'webgpu' is not installed: ${(err as Error).message.split('\n')[0]}`);
    return;
  }
  console.log(`Vulkan loader (libvulkan.so.1) ${vulkanLoaderPresent() ? 'present' : 'absent'}`);
  process.env.EGL_PLATFORM ??= 'surfaceless';
  const backends = process.platform === 'darwin' ? ['metal'] : process.platform === 'win32' ? ['d3d12', 'vulkan'] : ['vulkan', 'opengl'];
  for (const backend of ['default', ...backends]) {
    for (const featureLevel of ['core', 'compatibility']) {
      const a = await dawn.create(backend === 'default' ? [] : [`backend=${backend}`]).requestAdapter({ featureLevel, powerPreference: 'high-performance' });
      if (!a) { console.log(`${backend} (${featureLevel}): none`); continue; }
      const facts = { vendor: a.info.vendor ?? '', architecture: a.info.architecture ?? '', device: a.info.device ?? '',
        description: a.info.description ?? '', isFallbackAdapter: a.info.isFallbackAdapter === true, compatibilityOnly: featureLevel !== 'core' };
      const soft = softwareReason(facts);
      console.log(`${backend} (${featureLevel}): '${adapterName(facts)}' ${a.info.architecture ? `[${a.info.architecture}] ` : ''}` +
        `-> ${soft ? `software: ${soft}` : 'a real GPU'}`);
    }
  }
  await selectBackend('auto', (line) => console.log(line));
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
