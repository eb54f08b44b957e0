// POST /api/runs before verification: size limits, content types, multipart parsing, the strict meta schema
// and the contributor name. None of these requests may store anything or consume the workunit's token.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LIMITS, ProtocolBoardSchema, RunRecordSchema } from "../../shared/api";
import { encodeFloat32 } from "../../shared/nn/float32-codec";
import { api, expectError, expectNothingStored, insertWorkunit, requestWorkunit, runRow, workunitByToken } from "./helpers";
import { BASE, honestRun, metaWith, postHonest, postRun, protocolById, submissionForm, type HonestRun } from "./submissions";

const PROTOCOL = "fig2-margin-pos";

/**
 * A live, unconsumed workunit for seed 0 (inserted into D1 as POST /api/workunits would store it, so that
 * every test here reuses one memoised honest run) and that run.
 */
async function freshRun(): Promise<{ workunit: { token: string }; run: HonestRun }> {
  const protocol = protocolById(PROTOCOL);
  const { token } = await insertWorkunit({ protocolId: protocol.id, protocolVersion: protocol.version, seed: 0, expiresAt: Date.now() + 3600_000 });
  return { workunit: { token }, run: honestRun(protocol, 0) };
}

/** The bytes and content type of a multipart body as fetch would send it. */
async function serialize(form: FormData): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: string }> {
  const request = new Request(`${BASE}/`, { method: "POST", body: form });
  return { bytes: new Uint8Array(await request.arrayBuffer()), contentType: request.headers.get("content-type")! };
}

const postBody = (body: BodyInit, contentType: string | null, extra: RequestInit = {}) =>
  api("/api/runs", { method: "POST", body, headers: contentType === null ? {} : { "content-type": contentType }, ...extra });

/** Runs a request that must fail with (status, reason), store nothing and leave the token usable. */
async function expectRefused(workunit: { token: string }, status: number, reason: string, send: () => Promise<Response>): Promise<void> {
  await expectNothingStored(async () => expectError(await send(), status, reason));
  expect((await workunitByToken(workunit.token))!.consumed_at).toBeNull();
}

describe("size limits", () => {
  it(`a body over LIMITS.requestBytes (${LIMITS.requestBytes}) → 413 payload_too_large`, async () => {
    const { workunit, run } = await freshRun();
    const weights = new Uint8Array(LIMITS.requestBytes + 16);
    await expectRefused(workunit, 413, "payload_too_large", () => postRun(metaWith(run, workunit.token), weights));
  });

  it("a streamed body (no Content-Length) over the limit → 413 payload_too_large", async () => {
    const { workunit, run } = await freshRun();
    const { bytes, contentType } = await serialize(submissionForm(metaWith(run, workunit.token), new Uint8Array(LIMITS.requestBytes + 16)));
    let offset = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(offset, offset + 64 * 1024));
        offset += 64 * 1024;
      },
      cancel() {
        cancelled = true;
      },
    });
    await expectRefused(workunit, 413, "payload_too_large", () => postBody(stream, contentType));
    // The server stopped reading at the limit (workerd may log that the rest of the upload was aborted).
    expect(cancelled || offset <= LIMITS.requestBytes + 128 * 1024).toBe(true);
  });

  // LIMITS.metaBytes bounds the JSON part on its own, inside a body that is under LIMITS.requestBytes.
  it(`a meta part over LIMITS.metaBytes (${LIMITS.metaBytes}) inside an allowed body → 413 payload_too_large`, async () => {
    const { workunit, run } = await freshRun();
    const json = JSON.stringify(metaWith(run, workunit.token));
    const padded = `${json.slice(0, -1)}${" ".repeat(LIMITS.metaBytes + 512 * 1024)}}`;
    expect(padded.length).toBeGreaterThan(LIMITS.metaBytes);
    expect(padded.length + run.weights.length * 4).toBeLessThan(LIMITS.requestBytes);
    await expectRefused(workunit, 413, "payload_too_large", () => postRun(padded, run.weights));
  });
});

describe("content type", () => {
  it("application/json (the meta as a JSON body) → 415 unsupported_media_type", async () => {
    const { workunit, run } = await freshRun();
    await expectRefused(workunit, 415, "unsupported_media_type", () => postBody(JSON.stringify(metaWith(run, workunit.token)), "application/json"));
  });

  it("a multipart body labelled application/octet-stream → 415 unsupported_media_type", async () => {
    const { workunit, run } = await freshRun();
    const { bytes } = await serialize(submissionForm(metaWith(run, workunit.token), run.weights));
    await expectRefused(workunit, 415, "unsupported_media_type", () => postBody(bytes, "application/octet-stream"));
  });

  it("form-urlencoded fields → 415 unsupported_media_type", async () => {
    const { workunit, run } = await freshRun();
    const body = new URLSearchParams({ meta: JSON.stringify(metaWith(run, workunit.token)), weights: "AAAA" });
    await expectRefused(workunit, 415, "unsupported_media_type", () => postBody(body.toString(), "application/x-www-form-urlencoded"));
  });

  it("no content type → 415 unsupported_media_type", async () => {
    const { workunit, run } = await freshRun();
    const { bytes } = await serialize(submissionForm(metaWith(run, workunit.token), run.weights));
    await expectRefused(workunit, 415, "unsupported_media_type", () => postBody(bytes, null));
  });
});

describe("multipart parsing", () => {
  it("garbage labelled multipart/form-data → 400 malformed", async () => {
    const { workunit } = await freshRun();
    await expectRefused(workunit, 400, "malformed", () => postBody("this is not a multipart body at all", "multipart/form-data; boundary=----gs"));
  });

  it("a multipart body without a boundary parameter → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    const { bytes } = await serialize(submissionForm(metaWith(run, workunit.token), run.weights));
    await expectRefused(workunit, 400, "malformed", () => postBody(bytes, "multipart/form-data"));
  });

  it("a multipart body with the wrong boundary → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    const { bytes } = await serialize(submissionForm(metaWith(run, workunit.token), run.weights));
    await expectRefused(workunit, 400, "malformed", () => postBody(bytes, "multipart/form-data; boundary=not-the-boundary"));
  });

  it("a body truncated in the middle of the weights → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    const { bytes, contentType } = await serialize(submissionForm(metaWith(run, workunit.token), run.weights));
    await expectRefused(workunit, 400, "malformed", () => postBody(bytes.slice(0, bytes.length - 1000), contentType));
  });

  it("a body truncated in the middle of the meta → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    const { bytes, contentType } = await serialize(submissionForm(metaWith(run, workunit.token), run.weights));
    await expectRefused(workunit, 400, "malformed", () => postBody(bytes.slice(0, 300), contentType));
  });

  it("a body missing only its closing boundary → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    const { bytes, contentType } = await serialize(submissionForm(metaWith(run, workunit.token), run.weights));
    const boundary = contentType.split("boundary=")[1]!;
    const text = new TextDecoder("latin1").decode(bytes);
    const end = text.lastIndexOf(`\r\n--${boundary}--`);
    expect(end).toBeGreaterThan(0);
    // Everything up to the end of the weights, without the CRLF and closing delimiter.
    await expectRefused(workunit, 400, "malformed", () => postBody(bytes.slice(0, end), contentType));
  });

  it("an empty body → 400 malformed", async () => {
    const { workunit } = await freshRun();
    await expectRefused(workunit, 400, "malformed", () => postBody("", "multipart/form-data; boundary=----gs"));
  });
});

describe("missing or mistyped parts", () => {
  it("only the meta part → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    const form = new FormData();
    form.set("meta", JSON.stringify(metaWith(run, workunit.token)));
    await expectRefused(workunit, 400, "malformed", () => postBody(form, null));
  });

  it("only the weights part → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    const form = new FormData();
    form.set("weights", new Blob([encodeFloat32(run.weights)]), "weights.f32");
    await expectRefused(workunit, 400, "malformed", () => postBody(form, null));
  });

  it("the meta sent as a file instead of a text field → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    const form = new FormData();
    form.set("meta", new Blob([JSON.stringify(metaWith(run, workunit.token))], { type: "application/json" }), "meta.json");
    form.set("weights", new Blob([encodeFloat32(run.weights)]), "weights.f32");
    await expectRefused(workunit, 400, "malformed", () => postBody(form, null));
  });

  it("the weights sent as a text field instead of a file → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    const form = new FormData();
    form.set("meta", JSON.stringify(metaWith(run, workunit.token)));
    form.set("weights", Array.from(run.weights).join(","));
    await expectRefused(workunit, 400, "malformed", () => postBody(form, null));
  });

  it("parts under other names → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    const form = new FormData();
    form.set("metadata", JSON.stringify(metaWith(run, workunit.token)));
    form.set("weights.f32", new Blob([encodeFloat32(run.weights)]), "weights.f32");
    await expectRefused(workunit, 400, "malformed", () => postBody(form, null));
  });
});

describe("the meta part", () => {
  it("not JSON → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    await expectRefused(workunit, 400, "malformed", () => postRun(`token=${workunit.token}`, run.weights));
  });

  it.each([
    ["a JSON array", "[]"],
    ["JSON null", "null"],
    ["a JSON string", '"meta"'],
  ])("%s → 400 malformed", async (_, text) => {
    const { workunit, run } = await freshRun();
    await expectRefused(workunit, 400, "malformed", () => postRun(text, run.weights));
  });

  it("an extra unknown top-level field (strict schema) → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    await expectRefused(workunit, 400, "malformed", () => postRun({ ...metaWith(run, workunit.token), verified: true }, run.weights));
  });

  it("a claim named __proto__ (which a plain object would silently drop) → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    const meta = metaWith(run, workunit.token);
    const text = JSON.stringify(meta).replace('"claimed":{', '"claimed":{"__proto__":null,');
    await expectRefused(workunit, 400, "malformed", () => postRun(text, run.weights));
  });

  it("an extra unknown field in environment → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    const meta = metaWith(run, workunit.token);
    await expectRefused(workunit, 400, "malformed", () => postRun({ ...meta, environment: { ...meta.environment, gpu: "H100" } }, run.weights));
  });

  it("an extra unknown field in timings → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    const meta = metaWith(run, workunit.token);
    await expectRefused(workunit, 400, "malformed", () => postRun({ ...meta, timings: { ...meta.timings, wallMs: 5 } }, run.weights));
  });

  it("an unknown backend → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    const meta = metaWith(run, workunit.token);
    await expectRefused(workunit, 400, "malformed", () => postRun({ ...meta, environment: { ...meta.environment, backend: "cuda" } }, run.weights));
  });

  it("a negative trainMs → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    const meta = metaWith(run, workunit.token);
    await expectRefused(workunit, 400, "malformed", () => postRun({ ...meta, timings: { ...meta.timings, trainMs: -1 } }, run.weights));
  });

  it("more first losses than LIMITS.firstLosses → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    const meta = metaWith(run, workunit.token);
    await expectRefused(workunit, 400, "malformed", () => postRun({ ...meta, firstLosses: Array(LIMITS.firstLosses + 1).fill(0.5) }, run.weights));
  });
});

describe("contributor names", () => {
  it(`a name longer than ${LIMITS.contributorChars} characters → 400 malformed`, async () => {
    const { workunit, run } = await freshRun();
    const contributor = "x".repeat(LIMITS.contributorChars + 1);
    await expectRefused(workunit, 400, "malformed", () => postRun(metaWith(run, workunit.token, { contributor }), run.weights));
  });

  it("a blank name → 400 malformed", async () => {
    const { workunit, run } = await freshRun();
    await expectRefused(workunit, 400, "malformed", () => postRun(metaWith(run, workunit.token, { contributor: "   " }), run.weights));
  });

  it("a name containing <script>alert(1)</script> is accepted, returned verbatim as JSON data and stored exactly once", async () => {
    const contributor = "<script>alert(1)</script>";
    const workunit = await requestWorkunit(PROTOCOL);
    const response = await postHonest(honestRun(PROTOCOL, workunit.seed), workunit.token, { contributor });
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const text = await response.text();
    const record = RunRecordSchema.parse(JSON.parse(text));
    expect(record).toMatchObject({ status: "accepted", contributor });

    const rows = (await env.DB.prepare("SELECT id, contributor FROM runs WHERE contributor LIKE ?").bind("%<script>%").all<{ id: string; contributor: string }>()).results;
    expect(rows).toEqual([{ id: record.id, contributor }]);
    expect((await runRow(record.id))!.contributor).toBe(contributor);

    const served = await api(`/api/runs/${record.id}`);
    expect(served.headers.get("content-type")).toMatch(/^application\/json/);
    expect(RunRecordSchema.parse(await served.json()).contributor).toBe(contributor);
    const board = ProtocolBoardSchema.parse(await (await api(`/api/leaderboard/${PROTOCOL}`)).json());
    expect(board.runs.filter((r) => r.contributor === contributor).map((r) => r.id)).toEqual([record.id]);
  });
});
