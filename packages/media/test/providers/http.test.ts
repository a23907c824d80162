import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { PermanentGenerationError, TransientGenerationError } from "../../src/generator";
import {
  failureFromResponse,
  joinUrl,
  type ProviderResponse,
  providerFetch,
  retryAfterMs,
} from "../../src/providers/http";
import { type FakeServer, json, neverAnswer, startFakeServer } from "./fake-server";
import { abortWhen, expectAborted, expectTransient, HAPPY_TIMEOUT_MS, SHORT_TIMEOUT_MS } from "./fixtures";

function answer(status: number, body: unknown, headers: Record<string, string> = {}): ProviderResponse {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return { status, ok: status < 300, headers: new Headers(headers), body: Buffer.from(text) };
}

const rules = { provider: "Acme", secrets: ["sk-secret-123"] };

describe("retryAfterMs", () => {
  test("reads seconds, fractions of seconds and retry-after-ms", () => {
    expect(retryAfterMs(new Headers({ "retry-after": "7" }))).toBe(7000);
    expect(retryAfterMs(new Headers({ "retry-after": "1.5" }))).toBe(1500);
    expect(retryAfterMs(new Headers({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
  });

  test("reads an HTTP date relative to now, never below zero", () => {
    const now = Date.parse("Wed, 21 Oct 2026 07:28:00 GMT");
    expect(retryAfterMs(new Headers({ "retry-after": "Wed, 21 Oct 2026 07:28:30 GMT" }), now)).toBe(30_000);
    expect(retryAfterMs(new Headers({ "retry-after": "Wed, 21 Oct 2026 07:27:00 GMT" }), now)).toBe(0);
  });

  test("is undefined when absent or unreadable", () => {
    expect(retryAfterMs(new Headers())).toBeUndefined();
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }))).toBeUndefined();
  });
});

describe("failureFromResponse", () => {
  test.each([408, 409, 429, 500, 502, 503, 504])("HTTP %i is transient", (status) => {
    const error = failureFromResponse(
      answer(status, { error: { message: "busy" } }, { "retry-after": "3" }),
      rules,
    );
    expect(error).toBeInstanceOf(TransientGenerationError);
    expect((error as TransientGenerationError).retryAfterMs).toBe(3000);
    expect(error.message).toBe(`Acme answered HTTP ${status}: busy`);
  });

  test.each([400, 401, 402, 403, 404, 422])("HTTP %i is a permanent provider error", (status) => {
    const error = failureFromResponse(answer(status, { message: "bad input" }), rules);
    expect(error).toBeInstanceOf(PermanentGenerationError);
    expect((error as PermanentGenerationError).code).toBe("provider_error");
    expect(error.message).toBe(`Acme answered HTTP ${status}: bad input`);
  });

  test("content policy outranks the status code", () => {
    const error = failureFromResponse(answer(400, { message: "nope" }), {
      ...rules,
      isContentPolicy: () => true,
    });
    expect((error as PermanentGenerationError).code).toBe("content_policy");
    expect(error.message).toBe("Acme refused the prompt on content policy: nope");
  });

  test("the provider's retry hint outranks the status code", () => {
    const permanent = failureFromResponse(answer(503, {}), { ...rules, isRetryable: () => false });
    expect(permanent).toBeInstanceOf(PermanentGenerationError);
    const transient = failureFromResponse(answer(400, {}), { ...rules, isRetryable: () => true });
    expect(transient).toBeInstanceOf(TransientGenerationError);
  });

  test.each([
    [{ error: { message: "OpenAI style", type: "invalid_request_error" } }, "OpenAI style"],
    [{ detail: { status: "voice_not_found", message: "ElevenLabs style" } }, "ElevenLabs style"],
    [{ detail: [{ loc: ["body", "prompt"], msg: "fal style", type: "value_error" }] }, "fal style"],
    [{ id: "x", name: "bad_request", errors: ["Stability", "style"] }, "Stability; style"],
    [{ error: "OutOfMemoryError", detail: "CUDA out of memory" }, "OutOfMemoryError: CUDA out of memory"],
  ])("finds the message in %j", (body, message) => {
    expect(failureFromResponse(answer(400, body), rules).message).toBe(`Acme answered HTTP 400: ${message}`);
  });

  test("falls back to the start of a non-JSON body", () => {
    const html = `<html><body>${"Bad gateway ".repeat(100)}</body></html>`;
    const error = failureFromResponse(answer(502, html), rules);
    expect(error.message.startsWith("Acme answered HTTP 502: <html><body>Bad gateway")).toBe(true);
    expect(error.message.length).toBeLessThan(400);
  });

  test("never repeats the API key", () => {
    const error = failureFromResponse(
      answer(401, { error: { message: "Incorrect API key: sk-secret-123" } }),
      rules,
    );
    expect(error.message).not.toContain("sk-secret-123");
    expect(error.message).toContain("[redacted]");
  });
});

describe("providerFetch", () => {
  let fake: FakeServer;
  beforeEach(async () => {
    fake = await startFakeServer();
  });
  afterEach(async () => {
    await fake.close();
  });

  const options = (signal = new AbortController().signal) => ({
    signal,
    timeoutMs: HAPPY_TIMEOUT_MS,
    provider: "Acme",
  });

  test("returns any status with the body read", async () => {
    fake.route("GET", "/thing", json(418, { teapot: true }));
    const response = await providerFetch(joinUrl(fake.url, "thing"), {}, options());
    expect(response.status).toBe(418);
    expect(JSON.parse(response.body.toString())).toEqual({ teapot: true });
  });

  test("an answer that never comes is a transient timeout, and the request is closed", async () => {
    fake.route("GET", "/slow", neverAnswer);
    const error = await expectTransient(
      providerFetch(`${fake.url}/slow`, {}, { ...options(), timeoutMs: SHORT_TIMEOUT_MS }),
    );
    expect(error.message).toBe("Acme did not answer within 200 ms");
    expect(await fake.requests[0]!.outcome).toBe("hung-up");
  });

  test("a body that stops halfway is a transient timeout too", async () => {
    // Headers and the start of the body, then nothing: the timeout covers the body as well.
    const server = await startStallingServer();
    try {
      const error = await expectTransient(
        providerFetch(server.url, {}, { ...options(), timeoutMs: SHORT_TIMEOUT_MS }),
      );
      expect(error.message).toBe("Acme did not answer within 200 ms");
    } finally {
      await server.close();
    }
  });

  test("a refused connection is transient", async () => {
    const port = await freePort();
    const error = await expectTransient(providerFetch(`http://127.0.0.1:${port}/`, {}, options()));
    expect(error.message).toContain("Could not reach Acme");
  });

  test("an abort closes the request and rejects with GenerationAbortedError", async () => {
    fake.route("GET", "/slow", neverAnswer);
    const { signal, reason } = abortWhen(fake.waitForRequest("GET", "/slow"));
    await expectAborted(providerFetch(`${fake.url}/slow`, {}, options(signal)), reason);
    expect(await fake.requests[0]!.outcome).toBe("hung-up");
  });

  test("an already aborted signal sends nothing", async () => {
    const controller = new AbortController();
    controller.abort(new Error("gone"));
    await expectAborted(
      providerFetch(`${fake.url}/x`, {}, options(controller.signal)),
      controller.signal.reason,
    );
    expect(fake.requests).toHaveLength(0);
  });
});

/** A server that sends headers and the first bytes of a body, then never the rest. */
async function startStallingServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createHttpServer((_, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
    res.write('{"data": [');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
