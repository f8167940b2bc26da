#!/usr/bin/env bash
# GPU check, from nothing, in under 10 minutes on a machine with an NVIDIA GPU:
#   1. npm ci (optional GPU packages: webgpu + tfjs-backend-webgpu always install; tfjs-node-gpu only
#      where libtensorflow can be downloaded and CUDA 11.2 / cuDNN 8.1 are there),
#   2. lists the GPU adapters Dawn finds and what 'auto' picks,
#   3. trains a few epochs at isize 64 and 128 on webgpu (and tensorflow if it loads) with the real CLI,
#   4. measures wasm on the same step in the same run and prints img/s and the ratio to wasm.
# Run from the checkout: bash bench/gpu-check.sh   (SKIP_INSTALL=1 reuses node_modules; OUT=dir keeps files)
# Vulkan needs the loader (Debian/Ubuntu: libvulkan1) and the NVIDIA driver's Vulkan ICD
# (/usr/share/vulkan/icd.d/nvidia_icd.json; in containers NVIDIA_DRIVER_CAPABILITIES must include graphics).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-$(mktemp -d -t gpu-check-XXXX)}"
mkdir -p "$OUT"
start=$SECONDS
stage() { echo; echo "=== [$((SECONDS - start)) s] $*"; }

stage "machine"
nvidia-smi -L 2>/dev/null || echo "nvidia-smi: not found"
node --version
ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>/dev/null || echo "no Vulkan ICD folders"

if [[ "${SKIP_INSTALL:-0}" != 1 ]]; then
  stage "npm ci"
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 timeout 300 npm ci --no-audit --no-fund >"$OUT/npm-ci.log" 2>&1 || { tail -20 "$OUT/npm-ci.log"; exit 1; }
  for p in webgpu @tensorflow/tfjs-backend-webgpu @tensorflow/tfjs-node-gpu; do
    [[ -d "node_modules/$p" ]] && echo "installed: $p" || echo "not installed: $p"
  done
fi

stage "adapters"
timeout 60 npx tsx bench/gpu-adapters.ts 2>&1 | grep -v '^    at \|^ - While\|^$'

stage "training images (synthetic parts, 128 px)"
cat >"$OUT/make.ts" <<'TS'
import { writePartFolder } from '../test/fixtures/part-images';
await writePartFolder(process.argv[2], { trainGood: 320, testGood: 16, testDefect: 16, size: 128 });
TS
cp "$OUT/make.ts" bench/.gpu-check-make.ts && timeout 60 npx tsx bench/.gpu-check-make.ts "$OUT/parts"; rm -f bench/.gpu-check-make.ts

for b in webgpu tensorflow; do
  for s in 64 128; do
    stage "train $b isize $s: 3 epochs, batch 64"
    timeout 150 node bin/ganomaly-inspector.js train "$OUT/parts" --out "$OUT/model-$b-$s" --backend "$b" --isize "$s" \
      --epochs 3 --batch 64 --workers 1 2>&1 | grep -v '^    at \|^$' | grep -E 'backend|epoch [0-9]+:|error|model saved' | cut -c1-300
    [[ "${PIPESTATUS[0]}" == 0 ]] || { echo "$b isize $s: training failed or timed out"; [[ $b == tensorflow ]] && break; }
  done
done

stage "wasm on the same step (reference), beside each GPU backend"
timeout 300 npx tsx bench/webgpu.ts --backends webgpu,tensorflow --sizes 64,128 --batch 32 --steps 1 --json "$OUT/steps.json" 2>&1 |
  grep -v '^Warning\|^    at \|^$' | cut -c1-400

stage "summary: training img/s (median of epochs 2-3, CLI) and the ratio to wasm (bench step, same run)"
OUT="$OUT" node -e '
const fs = require("fs"), path = require("path"), out = process.env.OUT;
let steps = [];
try { steps = JSON.parse(fs.readFileSync(path.join(out, "steps.json"), "utf8")); } catch { console.log("no wasm reference (bench did not finish)"); }
for (const s of [64, 128]) {
  const wasm = steps.find((r) => r.isize === s && r.backend === "wasm");
  for (const b of ["webgpu", "tensorflow"]) {
    let line = `isize ${s} ${b}: `;
    try {
      const m = JSON.parse(fs.readFileSync(path.join(out, `model-${b}-${s}`, "model.json"), "utf8"));
      const ips = m.history.slice(1).map((h) => h.imagesPerSecond).sort((a, b) => a - b);
      const med = ips.length ? ips[Math.floor((ips.length - 1) / 2)] : m.history[0].imagesPerSecond;
      line += `${med.toFixed(1)} img/s training (${m.backend.detail})`;
      if (wasm) line += `; wasm ${wasm.trainIps.toFixed(2)} img/s -> ${(med / wasm.trainIps).toFixed(1)}x`;
    } catch { line += "no model (not available or failed)"; }
    console.log(line);
  }
}'
stage "done; files in $OUT"
