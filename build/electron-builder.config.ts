// Packaging: `npm run dist` (electron-vite build, then electron-builder with this file). Linux AppImage
// + deb, Windows NSIS, macOS dmg. Native modules and the tfjs .wasm files are unpacked from the asar:
// a .node file cannot be loaded from inside it, and the wasm backend reads its binaries from disk.
import type { Configuration } from 'electron-builder';

const config: Configuration = {
  appId: 'io.github.ganomaly-inspector',
  productName: 'GANomaly Inspector',
  executableName: 'ganomaly-inspector',
  copyright: 'MIT licensed',
  directories: { output: 'dist', buildResources: 'build' },
  // The bundles electron-vite wrote; production dependencies are added by electron-builder itself.
  files: ['out/**/*', 'resources/**/*', 'package.json', '!**/*.map'],
  extraMetadata: { main: 'out/main/index.js' },
  asar: true,
  asarUnpack: [
    '**/node_modules/better-sqlite3/**',
    '**/node_modules/bindings/**',
    '**/node_modules/sharp/**',
    '**/node_modules/@img/**',
    '**/node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm',
    // Optional: present only where it installs (CUDA machines); its libtensorflow must load from disk.
    '**/node_modules/@tensorflow/tfjs-node-gpu/**',
    // Optional: Dawn's prebuilt dawn.node for the webgpu backend.
    '**/node_modules/webgpu/dist/**',
  ],
  // better-sqlite3 is rebuilt for Electron's ABI (sharp ships N-API prebuilds that need no rebuild).
  npmRebuild: true,
  publish: null,
  linux: {
    target: ['AppImage', 'deb'],
    icon: 'build/icons',
    category: 'Science',
    synopsis: 'Find anomalous parts in inspection images with GANomaly',
    maintainer: 'GANomaly Inspector maintainers',
  },
  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
    icon: 'build/icon.ico',
  },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  mac: {
    target: ['dmg'],
    icon: 'build/icon.icns',
    category: 'public.app-category.productivity',
    hardenedRuntime: true,
  },
  dmg: { title: 'GANomaly Inspector' },
};

export default config;
