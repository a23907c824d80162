import { expect, test } from "vitest";
import { RouteLabels } from "../src/http/route-label";

const labels = new RouteLabels();

test("REST paths are labeled with their OpenAPI pattern, a literal segment before a parameter", () => {
  expect(labels.route("GET", "/v1/jobs/job_01m85n5jfts2y3gjf66rtf5w")).toBe("/v1/jobs/{jobId}");
  expect(labels.route("POST", "/v1/jobs/estimate")).toBe("/v1/jobs/estimate");
  expect(labels.route("POST", "/v1/jobs/job_01m85n5jfts2y3gjf66rtf5w/cancel")).toBe(
    "/v1/jobs/{jobId}/cancel",
  );
  expect(labels.route("POST", "/v1/jobs")).toBe("/v1/jobs");
  expect(labels.route("HEAD", "/v1/jobs")).toBe("/v1/jobs");
  expect(labels.route("GET", "/assets/ab12.png")).toBe("/assets/{file}");
});

test("tRPC paths keep their procedure, and batched calls one label", () => {
  expect(labels.route("GET", "/trpc/jobs.get")).toBe("/trpc/jobs.get");
  expect(labels.route("GET", "/trpc/jobs.get,jobs.list")).toBe("/trpc/{batch}");
  expect(labels.route("GET", "/trpc/jobs.nope")).toBe("unmatched");
});

test("anything else is unmatched, and unknown methods OTHER: the label values stay a closed set", () => {
  expect(labels.route("GET", "/v1/jobs/job_x/secret-thing")).toBe("unmatched");
  expect(labels.route("DELETE", "/v1/jobs")).toBe("unmatched");
  expect(labels.route("GET", "/wp-admin/install.php")).toBe("unmatched");
  expect(labels.method("PROPFIND")).toBe("OTHER");
  expect(labels.method("GET")).toBe("GET");
});
