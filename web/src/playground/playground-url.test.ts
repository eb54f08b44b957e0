import { describe, expect, it } from "vitest";
import { PLAYGROUND_DEFAULTS } from "../../../shared/protocols/playground";
import { explorationUrl, parsePlaygroundQuery, playgroundUrl } from "./playground-url";

const parse = (query: string) => parsePlaygroundQuery(new URLSearchParams(query));

describe("the playground's URL", () => {
  it("reads the brief's example and round-trips every setting", () => {
    expect(parse("margin=0.1&reg=sd&lambda=0.003&lr=0.01&seed=0").params).toEqual(PLAYGROUND_DEFAULTS);
    const params = { margin: -0.35, regularizer: "weight-decay", lambda: 0.02, lr: 0.1, seed: 7 } as const;
    expect(parse(new URL(playgroundUrl(params), "http://x").search)).toEqual({ params, exploration: null });
  });

  it("falls back to the defaults for values outside the server's bounds or not numbers", () => {
    expect(parse("margin=0.9&reg=l1&lambda=-1&lr=0x10&seed=1.5").params).toEqual(PLAYGROUND_DEFAULTS);
    expect(parse("").params).toEqual(PLAYGROUND_DEFAULTS);
  });

  it("opens a saved exploration by its id only", () => {
    const id = "ex_0f8fad5b-d9cb-469f-a165-70867728950e";
    expect(parse(new URL(explorationUrl(id), "http://x").search).exploration).toBe(id);
    expect(parse("exploration=<script>").exploration).toBeNull();
  });
});
