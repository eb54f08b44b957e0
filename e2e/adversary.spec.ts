// An adversary against the running Worker (wrangler dev), next to honest clients: a scripted forger with six
// contributor keys on three address blocks and a fixed request budget splices, freezes and races two-moons
// chains, submits a never-trained Colored-MNIST run, hoards workunits and asks for replay leases, while two
// honest command-line clients (`npm run reproduce -- ... --submit`) train and submit fig1-margin-neg. Afterwards
// the leaderboard's numbers and claim verdicts for the attacked protocols are exactly those of the honest runs
// alone: the honest clients' own summary of what the server accepted from them.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { LeaderboardResponseSchema, ProtocolBoardSchema, WorkunitSchema, type LeaderboardEntry, type Workunit } from "../shared/api";
import { judgeClaims, summarize, type AcceptedRun } from "../shared/metrics/aggregate";
import { familyOf } from "../shared/protocols/families";
import { findProtocol, PROTOCOLS } from "../shared/protocols/registry";
import { cliFetch } from "../scripts/lib/cli";
import { fetchMnistPack, forgeryForm, frozenCmnist, frozenMoons, splicedMoons, type Forgery } from "./adversary/forgeries";

const MOONS = "fig1-margin-neg";
const CMNIST = "cmnist-erm-reduced";
/** The forger's whole budget of HTTP requests. */
const REQUEST_BUDGET = 150;

const newKey = (): string => randomBytes(32).toString("base64url");

/** The forger: every request counted against the budget, each key on one of three address blocks. */
function forger(baseURL: string) {
  let requests = 0;
  const blocks = ["198.51.100.", "203.0.113.", "2001:db8:f00d::"];
  const keys = Array.from({ length: 6 }, (_, k) => ({ key: newKey(), address: `${blocks[k % 3]}${10 + k}` }));
  const call = async (address: string, path: string, init: RequestInit = {}): Promise<Response> => {
    requests++;
    if (requests > REQUEST_BUDGET) throw new Error(`the forger is over its budget of ${REQUEST_BUDGET} requests`);
    // cliFetch: sent again once if a pooled socket was closed while the forger built its body (seconds of float64 training).
    return cliFetch(`${baseURL}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), "cf-connecting-ip": address } });
  };
  const workunit = async (address: string, protocolId: string, contributorKey?: string): Promise<Workunit | Response> => {
    const response = await call(address, "/api/workunits", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ protocolId, ...(contributorKey ? { contributorKey } : {}) }) });
    return response.status === 201 ? WorkunitSchema.parse(await response.json()) : response;
  };
  const submit = (address: string, forgery: Forgery): Promise<Response> => call(address, "/api/runs", { method: "POST", body: forgeryForm(forgery) });
  return { keys, call, workunit, submit, requests: () => requests };
}

/** An honest command-line client: trains `runs` runs of the protocol on wasm in Node and submits them; returns its JSON report. */
function honestClient(baseURL: string, protocolId: string, runs: number, name: string): Promise<{ runs: Record<string, AcceptedRun[]> }> {
  const out = join(mkdtempSync(join(tmpdir(), "gslab-honest-")), "report.json");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/reproduce.ts", protocolId, "--submit", baseURL, "--runs", String(runs), "--contributor", name, "--backend", "wasm", "--json", out], {
      cwd: join(import.meta.dirname, ".."),
      env: { ...process.env, GSLAB_CONTRIBUTOR_KEY: newKey() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.on("exit", (code) => {
      console.log(`[honest ${name}] ${log.split("\n").filter((line) => /seed \d+:/.test(line)).join(" | ")}`);
      if (code === 0) resolve(JSON.parse(readFileSync(out, "utf8")) as { runs: Record<string, AcceptedRun[]> });
      else reject(new Error(`the honest client ${name} exited with ${code}:\n${log}`));
    });
  });
}

async function leaderboard(baseURL: string): Promise<LeaderboardEntry[]> {
  return LeaderboardResponseSchema.parse(await (await fetch(`${baseURL}/api/leaderboard`)).json()).protocols;
}

test("a scripted forger with several keys and a request budget moves no number and no verdict of the attacked protocols", async ({ baseURL }) => {
  test.setTimeout(600_000);
  const base = baseURL!;
  const before = await leaderboard(base);
  const entryOf = (entries: readonly LeaderboardEntry[], id: string) => entries.find((e) => e.protocolId === id)!;
  expect(entryOf(before, MOONS).runs, `${MOONS} must have no counted run before this test (another spec submitted to it)`).toBe(0);
  const cmnistBefore = entryOf(before, CMNIST);

  const f = forger(base);
  const pack = await fetchMnistPack(base);
  const answers: Array<{ attack: string; status: number; reason: string | null }> = [];
  const record = async (attack: string, response: Response) => {
    const body = (await response.json().catch(() => null)) as { reason?: string; status?: string; error?: { reason: string } } | null;
    answers.push({ attack, status: response.status, reason: body?.reason ?? body?.error?.reason ?? null });
  };

  const attacks = async () => {
    const key = (k: number) => f.keys[k]!;
    // Replay leases for fresh keys: none has earned any standing.
    for (const { key, address } of f.keys) {
      await record("lease as a fresh key", await f.call(address, "/api/replays", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ contributorKey: key }) }));
    }
    // Splices with the break at the first link, a middle one and the link into the final weights.
    for (const [breakAt, who] of [[0, key(0)], [4, key(1)], [9, key(2)]] as const) {
      const unit = await f.workunit(who.address, MOONS, who.key);
      if (unit instanceof Response) {
        await record(`workunit for a splice at ${breakAt}`, unit);
        continue;
      }
      await record(`splice at link ${breakAt}`, await f.submit(who.address, splicedMoons(unit, who.key, breakAt, unit.seed + 17)));
    }
    // A never-trained chain, raced five times with one token.
    const raced = await f.workunit(key(3).address, MOONS, key(3).key);
    if (!(raced instanceof Response)) {
      const forgery = frozenMoons(raced, key(3).key);
      const responses = await Promise.all(Array.from({ length: 5 }, () => f.submit(key(3).address, forgery)));
      for (const response of responses) await record(`raced never-trained chain${response.headers.get("idempotent-replay") ? " (idempotent)" : ""}`, response);
    }
    // A never-trained Colored-MNIST run.
    const cmnist = await f.workunit(key(4).address, CMNIST, key(4).key);
    if (!(cmnist instanceof Response)) await record("never-trained Colored MNIST", await f.submit(key(4).address, frozenCmnist(cmnist, key(4).key, pack)));
    // Workunit hoarding from one address and key.
    for (let k = 0; k < 30; k++) {
      const unit = await f.workunit(key(5).address, MOONS, key(5).key);
      if (unit instanceof Response) {
        await record("hoarded workunit", unit);
        break;
      }
    }
  };

  // Honest client A alongside the first wave of attacks, honest client B alongside the second.
  const [honestA] = await Promise.all([honestClient(base, MOONS, 2, "honest-a"), attacks()]);
  const [honestB] = await Promise.all([honestClient(base, MOONS, 1, "honest-b"), attacks()]);
  console.log(`[forger] ${f.requests()} requests: ${JSON.stringify(answers.reduce<Record<string, number>>((n, a) => ((n[`${a.attack} → ${a.status} ${a.reason}`] = (n[`${a.attack} → ${a.status} ${a.reason}`] ?? 0) + 1), n), {}))}`);

  // Every forgery was refused, or at most stored as a run that counts nowhere.
  for (const answer of answers) expect(answer.status, `${answer.attack}: ${answer.reason}`).not.toBe(200);
  // A break at the first link starts the chain from other weights: the first-steps replay refuses it; any other break, the chain's.
  const splices = answers.filter((a) => a.attack.startsWith("splice"));
  expect(splices).toHaveLength(6);
  for (const splice of splices) expect([splice.status, splice.reason], splice.attack).toEqual([422, splice.attack === "splice at link 0" ? "replay_mismatch" : "trajectory_mismatch"]);
  // Five bodies raced on one token: one verification (the others wait on its claim, then get its stored verdict back).
  expect(answers.filter((a) => a.attack === "raced never-trained chain" && a.status === 422)).toHaveLength(2);
  expect(answers.filter((a) => a.attack.startsWith("raced")).every((a) => a.status === 422 || a.status === 409)).toBe(true);
  expect(answers.filter((a) => a.attack === "lease as a fresh key").every((a) => a.status === 403)).toBe(true);
  expect(answers.filter((a) => a.attack === "never-trained Colored MNIST").every((a) => a.status === 422)).toBe(true);
  expect(answers.some((a) => a.attack === "hoarded workunit" && a.status === 429)).toBe(true);

  // The board is the honest clients' runs alone: their count, their seed-mean ± std, the claim verdicts they imply.
  const honestRuns = [...(honestA.runs[MOONS] ?? []), ...(honestB.runs[MOONS] ?? [])];
  expect(honestRuns).toHaveLength(3);
  const after = await leaderboard(base);
  const protocol = findProtocol(MOONS)!;
  const expected = summarize(protocol, familyOf(protocol).metrics(protocol), honestRuns);
  const actual = entryOf(after, MOONS);
  expect(actual.runs).toBe(3);
  expect(actual.seeds).toBe(expected.seeds);
  for (const [key, stat] of Object.entries(expected.metrics)) {
    expect(actual.metrics[key]?.mean, key).toBeCloseTo(stat!.mean, 12);
    expect(actual.metrics[key]?.std, key).toBeCloseTo(stat!.std, 12);
  }
  const summaries = new Map(after.map((entry) => [entry.protocolId, entry.protocolId === MOONS ? expected : entry] as const));
  for (const p of PROTOCOLS.filter((p) => p.id === MOONS || judgeClaims(p, summaries).some((c) => c.otherProtocolId === MOONS))) {
    expect(entryOf(after, p.id).claims.map((c) => c.holds), `claims of ${p.id}`).toEqual(judgeClaims(p, summaries).map((c) => c.holds));
  }
  // Colored MNIST: the never-trained runs moved nothing.
  expect(entryOf(after, CMNIST)).toEqual(cmnistBefore);
  const board = ProtocolBoardSchema.parse(await (await fetch(`${base}/api/leaderboard/${MOONS}`)).json());
  expect(board.runs.filter((r) => r.contributor === "forger")).toHaveLength(0);
});
