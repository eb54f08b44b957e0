// The seed-mean of an evidence series over verified runs: Fig. 2's NTK features |z_k|.
import { describe, expect, it } from "vitest";
import { SeriesAggregateSchema } from "../../shared/api";
import { NTK_SERIES } from "../../shared/metrics/ntk-evidence";
import { api, expectError, requestWorkunit } from "./helpers";
import { honestRun, honestSubmission, postRun } from "./submissions";

const PROTOCOL = "fig2-margin-pos-sd";

describe("GET /api/leaderboard/:protocolId/series/:name", () => {
  it("averages each index of a series over the seeds' verified runs", async () => {
    const submitted: number[][] = [];
    for (let k = 0; k < 2; k++) {
      const workunit = await requestWorkunit(PROTOCOL);
      const honest = await honestSubmission(honestRun(PROTOCOL, workunit.seed), workunit.token);
      expect((await postRun(honest.meta, honest.weights, honest.checkpoints)).status).toBe(201);
      submitted.push(honest.meta.series![NTK_SERIES]!);
    }
    const aggregate = SeriesAggregateSchema.parse(await (await api(`/api/leaderboard/${PROTOCOL}/series/${NTK_SERIES}`)).json());
    expect(aggregate.seeds).toBe(2);
    expect(aggregate.mean).toHaveLength(submitted[0]!.length);
    aggregate.mean.forEach((m, i) => expect(m).toBeCloseTo((submitted[0]![i]! + submitted[1]![i]!) / 2, 12));
    aggregate.std.forEach((s, i) => expect(s).toBeCloseTo(Math.abs(submitted[0]![i]! - submitted[1]![i]!) / 2, 12));
  });

  it("is empty for a recorded series no run has yet, and answers 404 for any series the protocol does not record", async () => {
    expect(SeriesAggregateSchema.parse(await (await api(`/api/leaderboard/fig2-margin-neg/series/${NTK_SERIES}`)).json())).toEqual({ name: NTK_SERIES, seeds: 0, mean: [], std: [] });
    await expectError(await api(`/api/leaderboard/no-such/series/${NTK_SERIES}`), 404, "unknown_protocol");
    for (const name of ["nothing", "hasOwnProperty", "constructor", "toString", "__proto__", encodeURIComponent("../x")]) {
      await expectError(await api(`/api/leaderboard/${PROTOCOL}/series/${name}`), 404, "not_found");
    }
    // fig1 records no series at all.
    await expectError(await api(`/api/leaderboard/fig1-margin-pos/series/${NTK_SERIES}`), 404, "not_found");
  });
});
