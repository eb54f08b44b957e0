import { describe, expect, it } from "vitest";
import { browserOf, environmentFacets, gpuArchitectureOf, gpuVendorOf, osOf } from "./environment-facets";

const CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36";
const EDGE_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
const SAFARI_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
const SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0";

describe("environment facets", () => {
  it("names the browser, Edge and Opera before Chrome and Chrome before Safari", () => {
    expect(browserOf("web", CHROME_LINUX)).toBe("chrome");
    expect(browserOf("web", EDGE_WINDOWS)).toBe("edge");
    expect(browserOf("web", SAFARI_MAC)).toBe("safari");
    expect(browserOf("web", FIREFOX_ANDROID)).toBe("firefox");
    expect(browserOf("cli", "node v20.20.0")).toBe("node");
    expect(browserOf("web", "curl/8.0")).toBe("other");
  });

  it("names the operating system, phones before the desktops their agents also mention", () => {
    expect(osOf(CHROME_LINUX)).toBe("linux");
    expect(osOf(EDGE_WINDOWS)).toBe("windows");
    expect(osOf(SAFARI_MAC)).toBe("macos");
    expect(osOf(SAFARI_IPHONE)).toBe("ios");
    expect(osOf(FIREFOX_ANDROID)).toBe("android");
    expect(osOf("node v20.20.0")).toBe("other");
  });

  it("names the GPU vendor and, for WebGPU adapters, the architecture; software adapters are software", () => {
    expect(gpuVendorOf("webgpu", "nvidia hopper NVIDIA H200")).toBe("nvidia");
    expect(gpuArchitectureOf("webgpu", "nvidia hopper NVIDIA H200")).toBe("hopper");
    expect(gpuVendorOf("webgpu", "google swiftshader (fallback adapter)")).toBe("software");
    expect(gpuArchitectureOf("webgpu", "google swiftshader (fallback adapter)")).toBe("swiftshader");
    expect(gpuVendorOf("webgl", "ANGLE (AMD, AMD Radeon RX 7900 XTX Direct3D11 vs_5_0 ps_5_0, D3D11)")).toBe("amd");
    expect(gpuArchitectureOf("webgl", "ANGLE (AMD, AMD Radeon RX 7900 XTX)")).toBeNull();
    expect(gpuVendorOf("webgpu", "apple metal-3 Apple M2")).toBe("apple");
    expect(gpuVendorOf("wasm", "nvidia hopper")).toBe("none");
    expect(gpuVendorOf("webgpu", undefined)).toBe("other");
    expect(gpuVendorOf("webgpu", "acme gizmo")).toBe("other");
  });

  it("puts them together", () => {
    expect(environmentFacets({ backend: "webgpu", client: "web", adapter: "intel xe-lpg Intel Arc", userAgent: EDGE_WINDOWS })).toEqual({
      backend: "webgpu",
      gpuVendor: "intel",
      gpuArchitecture: "xe-lpg",
      browser: "edge",
      os: "windows",
    });
  });
});
