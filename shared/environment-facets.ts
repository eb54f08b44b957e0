// What a run's environment says about where it ran, as the facets boards filter and group by: backend, GPU
// vendor and architecture (from the adapter string the client reports), browser and operating system (from its
// user agent). One parser for the Worker's aggregates, its run listing and export, and the web pages.
import type { Environment } from "./api";

export const GPU_VENDORS = ["nvidia", "amd", "intel", "apple", "qualcomm", "arm", "imagination", "microsoft", "software", "other", "none"] as const;
export type GpuVendor = (typeof GPU_VENDORS)[number];
export const BROWSERS = ["chrome", "edge", "firefox", "safari", "opera", "node", "other"] as const;
export type Browser = (typeof BROWSERS)[number];
export const OPERATING_SYSTEMS = ["windows", "macos", "linux", "android", "ios", "chromeos", "other"] as const;
export type OperatingSystem = (typeof OPERATING_SYSTEMS)[number];

export interface EnvironmentFacets {
  readonly backend: Environment["backend"];
  /** "none" for CPU backends (wasm, cpu); "software" for SwiftShader, llvmpipe, WARP and fallback adapters. */
  readonly gpuVendor: GpuVendor;
  /** The adapter's architecture word (e.g. "ampere", "rdna-3"), lower-case; null when the adapter names none. */
  readonly gpuArchitecture: string | null;
  readonly browser: Browser;
  readonly os: OperatingSystem;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|\bwarp\b|microsoft basic render|fallback adapter/i;
/** Vendor names as adapters and WebGL renderers spell them, first match wins (ANGLE strings name the vendor first). */
const VENDOR_PATTERNS: readonly (readonly [GpuVendor, RegExp])[] = [
  ["nvidia", /nvidia|geforce|quadro|tesla|rtx/i],
  ["amd", /\bamd\b|\bati\b|radeon/i],
  ["intel", /intel|\biris\b|\buhd graphics/i],
  ["apple", /apple|\bm[1-9]\b/i],
  ["qualcomm", /qualcomm|adreno/i],
  ["arm", /\barm\b|mali/i],
  ["imagination", /imagination|powervr/i],
  ["microsoft", /microsoft/i],
];
/** Vendors as WebGPU's GPUAdapterInfo.vendor spells them: the word after it is the architecture. */
const WEBGPU_VENDOR_WORDS = new Set(["nvidia", "amd", "intel", "apple", "qualcomm", "arm", "imagination", "microsoft", "google"]);

/** The GPU vendor an adapter string names; "none" where the backend uses no GPU. */
export function gpuVendorOf(backend: Environment["backend"], adapter: string | undefined | null): GpuVendor {
  if (backend === "wasm" || backend === "cpu") return "none";
  if (!adapter) return "other";
  if (SOFTWARE.test(adapter)) return "software";
  return VENDOR_PATTERNS.find(([, pattern]) => pattern.test(adapter))?.[0] ?? "other";
}

/** The architecture word of a WebGPU adapter string ("nvidia ampere NVIDIA A100" → "ampere"); null otherwise. */
export function gpuArchitectureOf(backend: Environment["backend"], adapter: string | undefined | null): string | null {
  if (backend !== "webgpu" || !adapter) return null;
  const [vendor, architecture] = adapter.trim().toLowerCase().split(/\s+/);
  if (!vendor || !architecture || !WEBGPU_VENDOR_WORDS.has(vendor)) return null;
  return /^[a-z0-9][a-z0-9-]{0,31}$/.test(architecture) ? architecture : null;
}

/** The browser a user agent names (order matters: Edge and Opera also say Chrome, Chrome also says Safari). */
export function browserOf(client: Environment["client"], userAgent: string): Browser {
  if (client === "cli" || /\bNode\.js\b|^node\b/i.test(userAgent)) return "node";
  if (/\bEdg(e|A|iOS)?\//.test(userAgent)) return "edge";
  if (/\bOPR\/|\bOpera\b/.test(userAgent)) return "opera";
  if (/\bFirefox\/|\bFxiOS\//.test(userAgent)) return "firefox";
  if (/\b(Headless)?Chrome\/|\bChromium\/|\bCriOS\//.test(userAgent)) return "chrome";
  if (/\bSafari\//.test(userAgent) && /\bVersion\//.test(userAgent)) return "safari";
  return "other";
}

/** The operating system a user agent names (iOS and Android before macOS and Linux, which they also mention). */
export function osOf(userAgent: string): OperatingSystem {
  if (/\biPhone|\biPad|\biPod/.test(userAgent)) return "ios";
  if (/\bAndroid\b/.test(userAgent)) return "android";
  if (/\bCrOS\b/.test(userAgent)) return "chromeos";
  if (/\bWindows\b/.test(userAgent)) return "windows";
  if (/\bMac OS X\b|\bMacintosh\b|\bdarwin\b/i.test(userAgent)) return "macos";
  if (/\bLinux\b|\bX11\b/i.test(userAgent)) return "linux";
  return "other";
}

export function environmentFacets(environment: Pick<Environment, "backend" | "client" | "adapter" | "userAgent">): EnvironmentFacets {
  return {
    backend: environment.backend,
    gpuVendor: gpuVendorOf(environment.backend, environment.adapter),
    gpuArchitecture: gpuArchitectureOf(environment.backend, environment.adapter),
    browser: browserOf(environment.client, environment.userAgent),
    os: osOf(environment.userAgent),
  };
}
