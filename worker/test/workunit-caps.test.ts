// Caps on open workunits through the app with the production defaults (the suites' config lifts the
// per-address one): hoarding under one key or from one address is refused 429, honest one-at-a-time clients are
// not, and a workunit requested under a contributor key can be submitted only under that key.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { WorkunitSchema, type Workunit } from "../../shared/api";
import { app } from "../app";
import type { Bindings } from "../env";
import { DEFAULT_OPEN_PER_ADDRESS, DEFAULT_OPEN_PER_KEY } from "../routes/workunits";
import { expectError, expectNothingStored, workunitRow } from "./helpers";
import { BASE, honestRun, postHonest } from "./submissions";

const PROTOCOL = "fig1-margin-neg";
/** The Worker's bindings as wrangler.toml's defaults leave them (no per-address override). */
const defaults = { ...(env as unknown as Bindings), WORKUNIT_OPEN_PER_ADDRESS: undefined, WORKUNIT_OPEN_PER_KEY: undefined } as Bindings;

const ask = (address: string, body: Record<string, unknown>): Promise<Response> =>
  Promise.resolve(
    app.request(`${BASE}/api/workunits`, { method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": address }, body: JSON.stringify({ protocolId: PROTOCOL, ...body }) }, defaults),
  );

const key = (c: string) => c.repeat(43);

describe("caps on open workunits (defaults)", () => {
  it(`hoarding 30 under one key from one address: ${DEFAULT_OPEN_PER_KEY} issued, then 429; submitting one frees a slot`, async () => {
    const contributorKey = key("h");
    const statuses: number[] = [];
    const issued: Workunit[] = [];
    for (let k = 0; k < 30; k++) {
      const response = await ask("198.51.100.7", { contributorKey });
      statuses.push(response.status);
      if (response.status === 201) issued.push(WorkunitSchema.parse(await response.json()));
      else expect(await expectError(response, 429, "rate_limited")).toMatch(/contributor key holds 10 open workunits/);
    }
    expect(statuses).toEqual([...Array<number>(DEFAULT_OPEN_PER_KEY).fill(201), ...Array<number>(30 - DEFAULT_OPEN_PER_KEY).fill(429)]);
    // Another key from another address is not affected.
    expect((await ask("198.51.100.8", { contributorKey: key("o") })).status).toBe(201);
    // An honest client: one submission (under the key it asked with) and it may ask again.
    const first = issued.find((w) => w.seed === 0)!;
    expect((await postHonest(honestRun(PROTOCOL, 0), first.token, { contributorKey })).status).toBe(201);
    expect((await ask("198.51.100.7", { contributorKey })).status).toBe(201);
    expect((await ask("198.51.100.7", { contributorKey })).status).toBe(429);
  });

  it(`one address without a key: ${DEFAULT_OPEN_PER_ADDRESS} open at once, then 429; another address (or /64) is not affected`, async () => {
    const statuses: number[] = [];
    for (let k = 0; k < DEFAULT_OPEN_PER_ADDRESS + 3; k++) {
      // Every spelling within one IPv6 /64 is one address.
      const response = await ask(`2001:db8:aa:bb::${(k + 1).toString(16)}`, {});
      statuses.push(response.status);
      if (response.status === 429) expect(await expectError(response, 429, "rate_limited")).toMatch(/your address holds 20 open workunits/i);
    }
    expect(statuses).toEqual([...Array<number>(DEFAULT_OPEN_PER_ADDRESS).fill(201), 429, 429, 429]);
    // Fresh keys from the same /64 do not help: the address cap counts them all.
    expect((await ask("2001:db8:aa:bb:1:2:3:4", { contributorKey: key("f") })).status).toBe(429);
    expect((await ask("2001:db8:aa:bc::1", {})).status).toBe(201);
  });
});

describe("a workunit requested under a contributor key", () => {
  it("is refused 403 under another key or none, without consuming it; accepted under its own", async () => {
    const owner = key("a");
    const response = await ask("203.0.113.77", { contributorKey: owner });
    expect(response.status).toBe(201);
    const workunit = WorkunitSchema.parse(await response.json());
    const run = honestRun(PROTOCOL, workunit.seed);
    await expectNothingStored(async () => {
      await expectError(await postHonest(run, workunit.token, { contributorKey: key("b") }), 403, "workunit_mismatch");
      await expectError(await postHonest(run, workunit.token), 403, "workunit_mismatch");
    });
    expect((await workunitRow(workunit.workunitId))!.consumed_at).toBeNull();
    expect((await postHonest(run, workunit.token, { contributorKey: owner })).status).toBe(201);
  });

  it("one requested without a key may be submitted under any key (the Lab and CLI ask without one)", async () => {
    const response = await ask("203.0.113.78", {});
    const workunit = WorkunitSchema.parse(await response.json());
    expect((await postHonest(honestRun(PROTOCOL, workunit.seed), workunit.token, { contributorKey: key("z") })).status).toBe(201);
  });
});
