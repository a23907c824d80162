import { expect, test } from "vitest";
import { buildOpenApiDocument } from "../src/http/openapi";

// The REST contract is public: any change to a path, field or description shows up in review as a diff of this
// file. Run `pnpm --filter @mcpmediaengine/server test -u` to accept an intended change.
test("the OpenAPI document matches the committed snapshot", async () => {
  const doc = buildOpenApiDocument("http://localhost:8787");
  await expect(`${JSON.stringify(doc, null, 2)}\n`).toMatchFileSnapshot("./__snapshots__/openapi.json");
});

test("every operation is authenticated, by key or session cookie, and documents the error envelope", () => {
  const doc = buildOpenApiDocument("http://localhost:8787") as unknown as {
    paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
  };
  const operations = Object.values(doc.paths).flatMap((item) => Object.values(item));
  expect(operations.length).toBeGreaterThanOrEqual(4);
  for (const operation of operations) {
    expect(operation.security).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }]);
    expect(JSON.stringify(operation.responses)).toContain("#/components/schemas/Error");
  }
});
