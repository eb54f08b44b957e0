import { describe, expect, it } from "vitest";
import { forgetSaved, listSaved, MAX_SAVED, rememberSaved, type SavedExploration } from "./saved-explorations";

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}
const entry = (n: number, title: string | null = `run ${n}`): SavedExploration => ({
  id: `ex_${String(n).padStart(8, "0")}-0000-4000-8000-000000000000`,
  title,
  steps: 100 * n,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
});

describe("explorations saved in this browser", () => {
  it("lists them newest first, once each", () => {
    const storage = memoryStorage();
    expect(listSaved(storage)).toEqual([]);
    rememberSaved(entry(1), storage);
    rememberSaved(entry(2, null), storage);
    expect(rememberSaved(entry(1), storage).map((e) => e.steps)).toEqual([100, 200]);
    expect(listSaved(storage)).toEqual([entry(1), entry(2, null)]);
    expect(forgetSaved(entry(1).id, storage)).toEqual([entry(2, null)]);
  });

  it("keeps at most MAX_SAVED, and drops what does not parse", () => {
    const storage = memoryStorage();
    for (let n = 0; n < MAX_SAVED + 5; n++) rememberSaved(entry(n), storage);
    expect(listSaved(storage)).toHaveLength(MAX_SAVED);
    expect(listSaved(storage)[0]!.steps).toBe(100 * (MAX_SAVED + 4));
    const tampered = memoryStorage({ "gs-lab:explorations": JSON.stringify([entry(1), { id: "javascript:alert(1)", title: "x", steps: 1, createdAt: "now" }]) });
    expect(listSaved(tampered)).toEqual([entry(1)]);
    expect(listSaved(memoryStorage({ "gs-lab:explorations": "{not json" }))).toEqual([]);
    expect(listSaved(undefined)).toEqual([]);
  });
});
