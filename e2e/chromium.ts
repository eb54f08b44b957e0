// How GS Lab starts Debian's Chromium, for the e2e tests and the benchmark alike: headless as root, no
// network chatter (the machines have no internet), and WebGPU even without a GPU (SwiftShader).
export const CHROMIUM_PATH = "/usr/bin/chromium";

export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--enable-unsafe-webgpu",
];
