import { describe, expect, it } from "vitest";
import { CMNIST_ACCURACY_METRICS } from "../../../shared/metrics/cmnist-verify";
import { TWO_MOONS_METRICS } from "../../../shared/metrics/two-moons";
import { compareMetrics, type ComparedRun } from "./metric-compare";

const moons = (protocolId: string, values: Record<string, number | null> | null): ComparedRun => ({ protocolId, family: "two-moons", metrics: TWO_MOONS_METRICS, values });

describe("compareMetrics", () => {
  it("marks the higher margin and accuracy, the lower loss, and ranks no curvature", () => {
    const rows = compareMetrics([
      moons("fig1-margin-pos", { trainAccuracy: 1, finalLoss: 0.02, curvature: 0.05, meanMargin: 0.4, minMargin: 0.1 }),
      moons("fig1-margin-pos", { trainAccuracy: 1, finalLoss: 0.01, curvature: 0.3, meanMargin: 0.3, minMargin: null }),
    ]);
    const row = (key: string) => rows.find((r) => r.key === key)!;
    expect(rows.map((r) => r.key)).toEqual(["trainAccuracy", "finalLoss", "curvature", "meanMargin", "minMargin"]);
    expect(row("trainAccuracy").best).toEqual([true, true]);
    expect(row("finalLoss")).toMatchObject({ direction: "lower", best: [false, true] });
    expect(row("curvature")).toMatchObject({ direction: null, best: [false, false] });
    expect(row("meanMargin").best).toEqual([true, false]);
    // One value is nothing to rank.
    expect(row("minMargin")).toMatchObject({ values: [0.1, null], best: [false, false] });
  });

  it("ranks Colored-MNIST runs by test accuracy, not by train accuracy", () => {
    const cmnist = (protocolId: string, train: number, test: number): ComparedRun => ({
      protocolId,
      family: "colored-mnist",
      metrics: CMNIST_ACCURACY_METRICS,
      values: { trainAccuracy: train, testAccuracy: test },
    });
    const rows = compareMetrics([cmnist("cmnist-erm", 0.84, 0.1), cmnist("cmnist-sd", 0.7, 0.68)]);
    expect(rows.find((r) => r.key === "testAccuracy")).toMatchObject({ direction: "higher", best: [false, true] });
    expect(rows.find((r) => r.key === "trainAccuracy")).toMatchObject({ direction: null, best: [false, false] });
  });

  it("does not rank losses of different protocols' objectives", () => {
    const rows = compareMetrics([moons("fig2-margin-pos", { finalLoss: 0.1 }), moons("fig2-margin-pos-sd", { finalLoss: 0.5 })]);
    expect(rows.find((r) => r.key === "finalLoss")).toMatchObject({ direction: null, best: [false, false] });
  });

  it("lists the union of metrics, undefined where a run's protocol lacks one", () => {
    const rows = compareMetrics([
      moons("fig1-margin-pos", { trainAccuracy: 0.9 }),
      { protocolId: "cmnist-sd", family: "colored-mnist", metrics: CMNIST_ACCURACY_METRICS, values: { trainAccuracy: 0.7, testAccuracy: 0.68 } },
      moons("fig1-margin-neg", null),
    ]);
    // A Colored-MNIST train accuracy ranks nothing, so neither does the row it is in.
    expect(rows.find((r) => r.key === "trainAccuracy")).toMatchObject({ values: [0.9, 0.7, null], direction: null, best: [false, false, false] });
    expect(rows.find((r) => r.key === "testAccuracy")).toMatchObject({ values: [undefined, 0.68, undefined], best: [false, false, false] });
    expect(rows.at(-1)!.key).toBe("testAccuracy");
  });
});
