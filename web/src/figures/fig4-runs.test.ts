import { describe, expect, it } from "vitest";
import { fig4Protocols, newestFirst, runLabel, selectedRun, unprobeableChoice, verifiedRuns, waitingRuns, waitingSentence, type BoardRun } from "./fig4-runs";

const run = (id: string, seed: number, createdAt: string, contributor: string | null = "ada"): BoardRun => ({
  id,
  seed,
  contributor,
  contributorId: null,
  trust: "replayed",
  counted: true,
  backend: "webgpu",
  recomputed: { trainAccuracy: 0.9, testAccuracy: 0.2 },
  trainMs: 1000,
  createdAt,
});

describe("Fig. 4 run choice", () => {
  const runs = [run("a", 0, "2026-05-01T10:00:00.000Z"), run("c", 2, "2026-05-03T10:00:00.000Z"), run("b", 1, "2026-05-02T10:00:00.000Z")];

  it("defaults to the newest run", () => {
    expect(newestFirst(runs).map((r) => r.id)).toEqual(["c", "b", "a"]);
    expect(selectedRun(runs, null)!.id).toBe("c");
    expect(runs.map((r) => r.id)).toEqual(["a", "c", "b"]); // not sorted in place
  });

  it("picks only counted runs: never one still waiting for its peer replays, nor a refuted one, even when asked for", () => {
    const pending = { ...runs[1]!, trust: "pending" as const, counted: false };
    const refuted = { ...runs[2]!, trust: "disputed" as const, counted: false };
    expect(selectedRun([runs[0]!, pending, refuted], null)!.id).toBe("a");
    expect(selectedRun([runs[0]!, pending, refuted], "c")!.id).toBe("a");
    expect(selectedRun([runs[0]!, pending, refuted], "b")!.id).toBe("a");
    expect(selectedRun([pending, refuted], null)).toBeNull();
    expect(verifiedRuns([runs[0]!, pending, refuted]).map((r) => r.id)).toEqual(["a"]);
  });

  it("takes the chosen run while it exists", () => {
    expect(selectedRun(runs, "a")!.id).toBe("a");
    expect(selectedRun(runs, "gone")!.id).toBe("c");
    expect(selectedRun([], null)).toBeNull();
  });

  it("orders equal times by id", () => {
    const same = [run("y", 0, "2026-05-01T10:00:00.000Z"), run("x", 1, "2026-05-01T10:00:00.000Z")];
    expect(newestFirst(same).map((r) => r.id)).toEqual(["x", "y"]);
  });

  it("names a run by seed, contributor and date", () => {
    expect(runLabel(runs[0]!)).toBe("seed 0 · \u2068ada\u2069 · 2026-05-01 10:00 UTC"); // the name isolated (FSI … PDI): no name reorders the label around it
    expect(runLabel(run("z", 4, "2026-05-01T10:00:00.000Z", null))).toBe("seed 4 · anonymous · 2026-05-01 10:00 UTC");
  });
});

describe("fig4Protocols", () => {
  const sets = {
    paper: ["cmnist-erm", "cmnist-sd", "cmnist-irm", "cmnist-rex", "cmnist-oracle"].map((id) => ({ id })),
    reduced: ["cmnist-erm-reduced", "cmnist-sd-reduced"].map((id) => ({ id })),
  };

  it("always shows ERM, SD and IRM, and the others once they have runs", () => {
    expect(fig4Protocols(sets, () => 0)).toEqual({ paper: [{ id: "cmnist-erm" }, { id: "cmnist-sd" }, { id: "cmnist-irm" }], reduced: [] });
    const runs = new Map([
      ["cmnist-oracle", 2],
      ["cmnist-sd-reduced", 1],
    ]);
    const shown = fig4Protocols(sets, (id) => runs.get(id) ?? 0);
    expect(shown.paper.map((p) => p.id)).toEqual(["cmnist-erm", "cmnist-sd", "cmnist-irm", "cmnist-oracle"]);
    expect(shown.reduced.map((p) => p.id)).toEqual(["cmnist-sd-reduced"]);
  });
});

describe("runs Fig. 4 cannot probe yet", () => {
  const counted = run("a", 0, "2026-05-01T10:00:00.000Z");
  const pending = { ...run("p", 1, "2026-05-02T10:00:00.000Z"), trust: "pending" as const, counted: false };
  const disputed = { ...run("d", 2, "2026-05-03T10:00:00.000Z"), trust: "disputed" as const, counted: false };

  it("counts the runs waiting for peers", () => {
    expect(waitingRuns([counted, pending, disputed]).map((r) => r.id)).toEqual(["p"]);
    expect(waitingSentence(1)).toMatch(/^1 run is waiting for peers .* its weights are withheld/);
    expect(waitingSentence(3)).toMatch(/^3 runs are waiting/);
  });

  it("says why a linked run is not the one shown", () => {
    expect(unprobeableChoice([counted, pending, disputed], "p")).toEqual({ id: "p", why: "pending" });
    expect(unprobeableChoice([counted, pending, disputed], "d")).toEqual({ id: "d", why: "other" });
    expect(unprobeableChoice([counted, pending, disputed], "gone")).toEqual({ id: "gone", why: "other" });
    expect(unprobeableChoice([counted, pending], "a")).toBeNull();
    expect(unprobeableChoice([counted], null)).toBeNull();
  });
});
