// Forged submissions, part 3: the request itself: size, content type, multipart, JSON, the strict schema.
import { LIMITS } from "../../../shared/api";
import { FIG1, meta, randomBytes, rawBody, weights } from "./kit";
import type { Attack } from "./kit";

export const TRANSPORT_ATTACKS: readonly Attack[] = [
  // The request itself: size, content type, multipart, JSON, the strict schema.
  {
    name: `an oversized body (over LIMITS.requestBytes = ${LIMITS.requestBytes})`,
    protocolId: FIG1,
    forge: weights(() => new Uint8Array(LIMITS.requestBytes + 16)),
    status: 413,
    reason: "payload_too_large",
  },
  {
    name: `an oversized meta part (over LIMITS.metaBytes = ${LIMITS.metaBytes}) inside an allowed body`,
    protocolId: FIG1,
    forge: meta((m) => `${JSON.stringify(m).slice(0, -1)}${" ".repeat(LIMITS.metaBytes + 1024)}}`),
    status: 413,
    reason: "payload_too_large",
  },
  {
    name: "a multipart body truncated in the weights",
    protocolId: FIG1,
    forge: rawBody((bytes, contentType) => ({ body: bytes.slice(0, bytes.length - 1000), contentType })),
    status: 400,
    reason: "malformed",
  },
  {
    name: "a multipart body truncated in the meta",
    protocolId: FIG1,
    forge: rawBody((bytes, contentType) => ({ body: bytes.slice(0, 300), contentType })),
    status: 400,
    reason: "malformed",
  },
  {
    name: "binary garbage labelled multipart/form-data",
    protocolId: FIG1,
    forge: () => ({ body: randomBytes(4096), contentType: "multipart/form-data; boundary=----gs-forged" }),
    status: 400,
    reason: "malformed",
  },
  {
    name: "binary garbage as the meta part",
    protocolId: FIG1,
    forge: meta(() => String.fromCharCode(...randomBytes(512))),
    status: 400,
    reason: "malformed",
  },
  {
    name: "malformed JSON in the meta part (a trailing comma)",
    protocolId: FIG1,
    forge: meta((m) => JSON.stringify(m).replace(/}$/, ",}")),
    status: 400,
    reason: "malformed",
  },
  {
    name: "the meta sent as a JSON body (application/json)",
    protocolId: FIG1,
    forge: async ({ honest }) => ({ body: JSON.stringify((await honest()).meta), contentType: "application/json" }),
    status: 415,
    reason: "unsupported_media_type",
  },
  {
    name: "the multipart bytes labelled text/plain",
    protocolId: FIG1,
    forge: rawBody((bytes) => ({ body: bytes, contentType: "text/plain" })),
    status: 415,
    reason: "unsupported_media_type",
  },
  {
    name: "an unknown field in meta (strict schema): status 'accepted'",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, status: "accepted" })),
    status: 400,
    reason: "malformed",
  },
  {
    name: "an unknown field in meta.environment (strict schema)",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, environment: { ...m.environment, verified: true } })),
    status: 400,
    reason: "malformed",
  },
  {
    name: "a top-level __proto__ key in meta",
    protocolId: FIG1,
    forge: meta((m) => JSON.stringify(m).replace(/^\{/, '{"__proto__":{"status":"accepted"},')),
    status: 400,
    reason: "malformed",
  },
  {
    name: "a __proto__ key among the claims",
    protocolId: FIG1,
    forge: meta((m) => JSON.stringify(m).replace('"claimed":{', '"claimed":{"__proto__":{"trainAccuracy":1},')),
    status: 400,
    reason: "malformed",
  },
  {
    name: "SQL in meta.protocolId",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, protocolId: "fig1-margin-pos'; DROP TABLE runs; --" })),
    status: 400,
    reason: "malformed",
  },
  {
    // Found by this suite (then fixed): the stray series would be stored with the run and served as a
    // "verified" seed aggregate by GET /api/leaderboard/fig1-margin-pos/series/fakeSeries.
    name: "two-moons: a series the protocol does not define rides along with an honest run",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, series: { fakeSeries: [1, 2, 3] } })),
    status: 422,
    reason: "evidence_shape",
  },
  {
    // Found by this suite (then fixed): the two-moons loss (softplus, plus SD's mean ŷ²) is never negative.
    name: "two-moons: a negative loss in the history between the replayed steps and the final loss",
    protocolId: FIG1,
    forge: meta((m) => ({ ...m, lossHistory: m.lossHistory.map((l, k) => (k === 30 ? -5 : l)) })),
    status: 422,
    reason: "evidence_shape",
  },
];
