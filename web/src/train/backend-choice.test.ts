import { describe, expect, it } from "vitest";
import { selectBackend, type BackendDriver, type BackendName, type BackendProbe } from "./backend-choice";

function fakeDriver(probes: Partial<Record<BackendName, BackendProbe>>, failing: BackendName[] = []): BackendDriver & { activated: BackendName[] } {
  const activated: BackendName[] = [];
  return {
    activated,
    probe: async (name) => probes[name] ?? { available: true },
    activate: async (name) => {
      activated.push(name);
      return !failing.includes(name);
    },
  };
}

describe("selectBackend", () => {
  it("auto prefers a hardware WebGPU adapter and reports it", async () => {
    const driver = fakeDriver({ webgpu: { available: true, adapter: "nvidia ampere" } });
    const selection = await selectBackend("auto", driver);
    expect(selection).toMatchObject({ backend: "webgpu", adapter: "nvidia ampere" });
    expect(driver.activated).toEqual(["webgpu"]);
  });

  it("auto skips software GPUs and backends that fail, then falls back to wasm", async () => {
    const driver = fakeDriver(
      { webgpu: { available: true, software: true, adapter: "SwiftShader (fallback adapter)" }, webgl: { available: true } },
      ["webgl"],
    );
    const selection = await selectBackend("auto", driver);
    expect(selection.backend).toBe("wasm");
    expect(driver.activated).toEqual(["webgl", "wasm"]);
    expect(selection.attempts.map((a) => [a.backend, a.ok])).toEqual([
      ["webgpu", false],
      ["webgl", false],
      ["wasm", true],
    ]);
  });

  it("auto ends on cpu, and fails in plain words when nothing starts", async () => {
    const unavailable = { available: false, note: "missing" };
    expect((await selectBackend("auto", fakeDriver({ webgpu: unavailable, webgl: unavailable }, ["wasm"]))).backend).toBe("cpu");
    await expect(selectBackend("auto", fakeDriver({}, ["webgpu", "webgl", "wasm", "cpu"]))).rejects.toThrow(/No tfjs backend could start/);
  });

  it("a named backend is used even when emulated, and never silently replaced", async () => {
    const software = { webgpu: { available: true, software: true, adapter: "SwiftShader" } };
    expect((await selectBackend("webgpu", fakeDriver(software))).backend).toBe("webgpu");
    await expect(selectBackend("webgl", fakeDriver({ webgl: { available: false, note: "no WebGL context" } }))).rejects.toThrow(
      /The webgl backend is not usable here: no WebGL context/,
    );
    await expect(selectBackend("wasm", fakeDriver({}, ["wasm"]))).rejects.toMatchObject({ name: "BackendError" });
  });
});
