#!/usr/bin/env bash
# Packs what a bare GPU machine needs to run GS Lab's reproduction runner and offline trainer on
# tfjs-webgpu (Dawn/Vulkan): single-file bundles of scripts/reproduce.ts and scripts/offline.ts (workunits
# fetched beforehand, submissions posted afterwards), this machine's Node binary (xz), the `webgpu` npm
# package's Linux build of Dawn, and Debian's Vulkan/GL loader packages. Everything comes from the npm
# registry, Debian's archive or this checkout. Output: .device/ and .gl/ (keep them out of git).
#
# On the GPU machine (x86-64 Linux with an NVIDIA driver), from the repository root:
#   for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig
#   export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json   # where the driver's ICD lives
#   xz -d .device/node_modules/webgpu/dist/linux-x64/dawn.node.xz; xz -dc .device/node.xz > /tmp/node; chmod +x /tmp/node
#   /tmp/node .device/gpu-report.mjs > "$OUT/gpu-report.json"      (issue 13's GPU figures, one JSON report)
#   /tmp/node .device/reproduce.mjs fig2 --seeds 0-9 --backend webgpu
#   /tmp/node .device/offline.mjs train workunits.json --out "$OUT/submissions"     (see scripts/offline.ts)
set -euo pipefail
cd "$(dirname "$0")/../.."
WEBGPU_VERSION=0.6.2

rm -rf .device .gl
mkdir -p .device/node_modules/webgpu/dist/linux-x64 .gl

echo "[gpu-bundle] bundling scripts/reproduce.ts, scripts/offline.ts and scripts/device/gpu-report.ts"
node scripts/build-kernels.mjs
node -e '
require("esbuild").build({
  entryPoints: { reproduce: "scripts/reproduce.ts", offline: "scripts/offline.ts", "gpu-report": "scripts/device/gpu-report.ts" },
  bundle: true,
  platform: "node",
  format: "esm",
  outdir: ".device",
  outExtension: { ".js": ".mjs" },
  external: ["webgpu"],
  banner: { js: "import { createRequire } from \"module\"; const require = createRequire(import.meta.url); import { fileURLToPath as __gsUrl } from \"url\"; import { dirname as __gsDir } from \"path\"; const __filename = __gsUrl(import.meta.url); const __dirname = __gsDir(__filename);" },
  logLevel: "warning",
}).catch(() => process.exit(1));'
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm shared/kernels/build/moons.wasm shared/kernels/build/moons-relaxed.wasm .device/

echo "[gpu-bundle] webgpu@${WEBGPU_VERSION} (Dawn for Node) from the npm registry"
work=$(mktemp -d)
(cd "$work" && npm pack --silent "webgpu@${WEBGPU_VERSION}" >/dev/null && tar xzf "webgpu-${WEBGPU_VERSION}.tgz")
cp "$work"/package/{index.js,package.json,LICENSE.md} .device/node_modules/webgpu/
xz -T0 -6 -c "$work/package/dist/linux-x64/dawn.node" > .device/node_modules/webgpu/dist/linux-x64/dawn.node.xz
rm -rf "$work"

echo "[gpu-bundle] node $(node --version)"
xz -T0 -6 -c "$(command -v node)" > .device/node.xz

echo "[gpu-bundle] Vulkan and GL loaders from Debian"
lists=$(mktemp -d)
mkdir -p "$lists/partial"
apt_opts=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$lists")
apt-get "${apt_opts[@]}" update -qq
(cd .gl && apt-get "${apt_opts[@]}" download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 2>&1 | grep -v "^W:" || true)
rm -rf "$lists"

du -sh .device .gl
