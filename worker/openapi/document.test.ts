// The OpenAPI document validates as OpenAPI 3.1 (@seriousme/openapi-schema-validator, run in Node: it reads its
// meta-schemas from disk), and the validator does refuse a broken copy. worker/test/openapi.test.ts checks the routes.
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./document";
import { schemaLabel } from "./docs-page";

const validate = (document: unknown) => new Validator().validate(structuredClone(document) as Parameters<Validator["validate"]>[0]);

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const document = openApiDocument();
    expect(document.openapi).toBe("3.1.0");
    const result = await validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("is refused once broken (no title, a parameter in a place OpenAPI does not have)", async () => {
    const untitled = structuredClone(openApiDocument()) as unknown as { info: Record<string, unknown> };
    delete untitled.info.title;
    expect((await validate(untitled)).valid).toBe(false);
    const badParameter = structuredClone(openApiDocument()) as unknown as { paths: Record<string, Record<string, { parameters: { in: string }[] }>> };
    badParameter.paths["/api/runs/{id}"]!.get!.parameters[0]!.in = "body";
    expect((await validate(badParameter)).valid).toBe(false);
  });

  it("names its shared schemas as components and refers to them", () => {
    const document = openApiDocument();
    expect(Object.keys(document.components?.schemas ?? {})).toEqual(expect.arrayContaining(["RunRecord", "RunMeta", "RunsPage", "RunEvidence", "ContributorPage", "ExportDocument", "BoardPage", "ErrorResponse"]));
    expect(JSON.stringify(document.paths?.["/api/runs/{id}"])).toContain('"$ref":"#/components/schemas/RunRecord"');
  });

  it("labels schemas in a few words for the docs page", () => {
    expect(schemaLabel({ $ref: "#/components/schemas/RunRecord" })).toBe("RunRecord");
    expect(schemaLabel({ type: "array", items: { type: "number" } })).toBe("array of number");
    expect(schemaLabel({ type: "string", enum: ["a", "b"] })).toBe("a | b");
    expect(schemaLabel({ type: "integer", minimum: 1, maximum: 200, default: 50 })).toBe("integer (≥ 1, ≤ 200, default 50)");
  });
});
