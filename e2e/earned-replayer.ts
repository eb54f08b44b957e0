// A replayer as the server now requires one (worker/routes/replays.ts): a browser whose contributor key has
// earned standing for real — three Fig. 1 runs trained on the Lab page on wasm and verified in full by the
// Worker — asking from an address block of its own. wrangler dev keeps a client's CF-Connecting-IP header
// (Cloudflare sets it itself in production, so there it cannot be chosen), which is how one test machine
// stands in for replayers at different addresses; no standing is inserted or granted by any other path.
import { expect, type Browser, type BrowserContext } from "@playwright/test";
import { trainAndSubmit } from "./lab-run";

/** Three runs of server-verified protocols (1,000 steps each): EARNED_AFTER distinct protocol-seed pairs. */
const EARNING_RUNS = ["fig1-margin-pos", "fig1-margin-neg", "fig1-margin-pos"] as const;

export interface EarnedReplayer {
  readonly context: BrowserContext;
  readonly contributorKey: string;
  readonly address: string;
}

const randomKey = (): string => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");

/** A browser context with its own key and address (198.51.100.0/24 + index), which trains and submits its three earning runs. */
export async function earnedReplayer(browser: Browser, index: number): Promise<EarnedReplayer> {
  const address = `198.51.${100 + index}.7`;
  const contributorKey = randomKey();
  const context = await browser.newContext({ extraHTTPHeaders: { "cf-connecting-ip": address } });
  await context.addInitScript((key) => window.localStorage.setItem("gslab.contributorKey", key), contributorKey);
  const page = await context.newPage();
  for (const protocolId of EARNING_RUNS) await trainAndSubmit(page, protocolId);
  await page.close();
  // Eligible now: asked for a protocol none of the specs submits (so no lease is taken), the server says
  // "nothing waiting" (200), no longer 403.
  const asked = await context.request.post("/api/replays", { data: { contributorKey, protocolIds: ["fig3-deeper"] } });
  expect(asked.status(), await asked.text()).toBe(200);
  return { context, contributorKey, address };
}
