// GET /api/export/runs.csv and runs.json (the documented columns, only counted runs, RFC 4180 quoting and
// neutralised formulas, more rows than one page streamed once each) and GET /api/export/citation.
import { describe, expect, it } from "vitest";
import { CitationSchema, EXPORT_COLUMNS, ExportDocumentSchema, exportColumns } from "../../shared/export-api";
import { findProtocol, PROTOCOLS } from "../../shared/protocols/registry";
import { EXPORT_PAGE_ROWS, metricKeysOf } from "../routes/export";
import { api, expectError } from "./helpers";
import { identity, storeRun, storeRuns } from "./run-fixtures";

const T0 = Date.UTC(2026, 1, 1);

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let k = 0; k < text.length; k++) {
    const ch = text[k]!;
    if (quoted) {
      if (ch === '"' && text[k + 1] === '"') (field += '"'), k++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") record.push(field), (field = "");
    else if (ch === "\r" && text[k + 1] === "\n") record.push(field), records.push(record), (record = []), (field = ""), k++;
    else field += ch;
  }
  expect(field).toBe("");
  return records;
}

async function csvOf(query: string): Promise<{ header: string[]; rows: Record<string, string>[]; response: Response }> {
  const response = await api(`/api/export/runs.csv${query}`);
  expect(response.status).toBe(200);
  const [header, ...records] = parseCsv(await response.clone().text());
  return { header: header!, rows: records.map((r) => Object.fromEntries(header!.map((name, k) => [name, r[k]!]))), response };
}

async function jsonOf(query: string) {
  const response = await api(`/api/export/runs.json${query}`);
  expect(response.status).toBe(200);
  return { document: ExportDocumentSchema.parse(JSON.parse(await response.clone().text())), response };
}

describe("export", () => {
  it("writes the documented columns, only counted runs, as an attachment; a hostile display name is quoted and neutralised", async () => {
    const hostile = '=HYPERLINK("http://evil.test","x"),\r\n"hi"';
    const me = identity("7a7a7a7a7a7a");
    const kept = await storeRun({ protocolId: "fig1-margin-neg", seed: 4, contributorId: me, contributor: hostile, createdAt: T0 + 1, recomputed: { curvature: 0.125, minMargin: -0.5 }, replayed: true });
    const plain = await storeRun({ protocolId: "fig1-margin-neg", seed: 5, contributor: "+plain", createdAt: T0 + 2, backend: "webgpu", gpuVendor: "nvidia", browser: "chrome" });
    const left = [
      await storeRun({ protocolId: "fig1-margin-neg", createdAt: T0 + 3, peerStatus: "pending" }),
      await storeRun({ protocolId: "fig1-margin-neg", createdAt: T0 + 4, hidden: true }),
      await storeRun({ protocolId: "fig1-margin-neg", createdAt: T0 + 5, status: "rejected" }),
    ];
    await storeRun({ protocolId: "fig6-dual", createdAt: T0 + 6, recomputed: { z1s2: 0.5 } });

    const protocol = findProtocol("fig1-margin-neg")!;
    const { header, rows, response } = await csvOf("?protocol=fig1-margin-neg");
    expect(header).toEqual(exportColumns(metricKeysOf([protocol])).map((c) => c.name));
    expect(header.slice(0, EXPORT_COLUMNS.length)).toEqual(EXPORT_COLUMNS.map((c) => c.name));
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="gslab-runs-fig1-margin-neg-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
    expect(rows.map((r) => r.run_id)).toEqual([kept, plain]);
    expect(rows.some((r) => left.includes(r.run_id!))).toBe(false);
    expect(rows[0]).toMatchObject({
      protocol_id: "fig1-margin-neg",
      protocol_version: String(protocol.version),
      seed: "4",
      trust: "replayed",
      contributor_id: "7a7a7a7a7a7a",
      display_name: `'${hostile}`,
      metric_curvature: "0.125",
      metric_minMargin: "-0.5",
      metric_trainAccuracy: "",
      created_at: new Date(T0 + 1).toISOString(),
      run_url: `http://gs.test/runs/${kept}`,
      weights_url: `http://gs.test/api/runs/${kept}/weights`,
    });
    expect(rows[1]).toMatchObject({ display_name: "'+plain", backend: "webgpu", gpu_vendor: "nvidia", browser: "chrome", contributor_id: "" });

    const { document } = await jsonOf("?protocol=fig1-margin-neg");
    expect(document.columns.map((c) => c.name)).toEqual(header);
    expect(document.protocol).toBe("fig1-margin-neg");
    expect(document.runs.map((r) => r.run_id)).toEqual([kept, plain]);
    expect(document.runs[0]).toMatchObject({ display_name: hostile, metric_curvature: 0.125, seed: 4, contributor_id: "7a7a7a7a7a7a", metric_trainAccuracy: null });
    expect(Object.keys(document.runs[0]!)).toEqual(header);
    expect(document.licence.mnist).toMatch(/Creative Commons Attribution-Share Alike 3\.0/);
    expect(document.licence.results).toMatch(/CC BY 4\.0/);
    expect(document.citation.bibtex).toMatch(/Gradient Starvation/);
  });

  it("dumps every protocol with the union of their metric keys", async () => {
    const dumped = await storeRun({ protocolId: "cmnist-erm-reduced", createdAt: T0 + 10, recomputed: { trainAccuracy: 0.8, testAccuracy: 0.1 } });
    const { header, rows, response } = await csvOf("");
    expect(header).toEqual(exportColumns(metricKeysOf(PROTOCOLS)).map((c) => c.name));
    expect(header).toEqual(expect.arrayContaining(["metric_curvature", "metric_z1s2", "metric_testAccuracy"]));
    expect(response.headers.get("content-disposition")).toMatch(/filename="gslab-runs-all-/);
    expect(rows.find((r) => r.run_id === dumped)).toMatchObject({ metric_testAccuracy: "0.1", metric_curvature: "" });
    const { document } = await jsonOf("");
    expect(document.protocol).toBeNull();
    expect(document.metricKeys).toEqual(metricKeysOf(PROTOCOLS));
    expect(document.runs.map((r) => r.run_id)).toEqual(rows.map((r) => r.run_id));
  });

  it("streams more runs than one page, each exactly once, oldest first", async () => {
    const count = EXPORT_PAGE_ROWS + 37;
    // Pairs of runs share a time: the keyset must break ties by id.
    const stored = await storeRuns(Array.from({ length: count }, (_, k) => ({ protocolId: "fig3-longer", seed: k, createdAt: T0 + 100 + Math.floor(k / 2) })));
    await storeRun({ protocolId: "fig3-longer", createdAt: T0 + 99, peerStatus: "refuted" });
    const { rows } = await csvOf("?protocol=fig3-longer");
    expect(rows.length).toBe(count);
    expect(new Set(rows.map((r) => r.run_id))).toEqual(new Set(stored));
    const times = rows.map((r) => Date.parse(r.created_at!));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const { document } = await jsonOf("?protocol=fig3-longer");
    expect(document.runs.map((r) => r.run_id)).toEqual(rows.map((r) => r.run_id));
  });

  it("refuses an unknown protocol (404) and a malformed or unknown parameter (400)", async () => {
    await expectError(await api("/api/export/runs.csv?protocol=no-such-protocol"), 404, "unknown_protocol");
    await expectError(await api("/api/export/runs.json?protocol=Not_An_Id"), 400, "malformed");
    await expectError(await api("/api/export/runs.csv?format=xlsx"), 400, "malformed");
  });

  it("cites the paper and the board with today's date and this deployment's URL", async () => {
    const response = await api("/api/export/citation");
    expect(response.status).toBe(200);
    const citation = CitationSchema.parse(await response.json());
    expect(citation.bibtex).toMatch(/^@inproceedings\{pezeshki2021gradient,/);
    for (const author of ["Pezeshki", "Kaba", "Bengio", "Courville", "Precup", "Lajoie"]) expect(citation.bibtex).toContain(author);
    expect(citation.bibtex).toContain("2011.09468");
    expect(citation.board).toMatch(/^@misc\{gslab\d{8},/);
    expect(citation.board).toContain(`accessed ${new Date().toISOString().slice(0, 10)}`);
    expect(citation.board).toContain("http://gs.test/leaderboard");
  });
});
