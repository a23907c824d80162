import { createServer, type Server } from "node:http";
import { afterEach, expect, test } from "vitest";
import { LoadBalancer } from "../src/proxy";

const servers: Server[] = [];
const balancers: LoadBalancer[] = [];
afterEach(async () => {
  await Promise.all(balancers.splice(0).map((b) => b.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A backend that says its name, and whose /readyz answers as `ready` says. */
async function backend(name: string, state: { ready: boolean }) {
  const server = createServer((req, res) => {
    if (req.url === "/readyz") {
      res.writeHead(state.ready ? 200 : 503).end();
      return;
    }
    if (req.url === "/stream") {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: one\n\n");
      setImmediate(() => res.end("data: two\n\n"));
      return;
    }
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () =>
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ name, body, forwardedFor: req.headers["x-forwarded-for"] })),
    );
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function start(backends: string[]): Promise<{ balancer: LoadBalancer; url: string }> {
  const balancer = new LoadBalancer(backends);
  balancers.push(balancer);
  return { balancer, url: await balancer.listen() };
}

const nameOf = async (url: string) =>
  ((await (await fetch(`${url}/x`, { method: "POST", body: "hi" })).json()) as { name: string }).name;

test("requests take turns over the ready backends, with their bodies, and a backend not ready gets none", async () => {
  const aState = { ready: true };
  const a = await backend("a", aState);
  const b = await backend("b", { ready: true });
  const { balancer, url } = await start([a, b]);
  const names = [];
  for (let i = 0; i < 4; i++) names.push(await nameOf(url));
  expect(names.sort()).toEqual(["a", "a", "b", "b"]);
  const echoed = (await (await fetch(`${url}/x`, { method: "POST", body: "hello" })).json()) as {
    body: string;
    forwardedFor: string;
  };
  expect(echoed.body).toBe("hello");
  expect(echoed.forwardedFor).toBe("127.0.0.1");

  aState.ready = false;
  await expect.poll(() => balancer.isReady(a)).toBe(false);
  for (let i = 0; i < 4; i++) expect(await nameOf(url)).toBe("b");
  aState.ready = true;
  await expect.poll(() => balancer.isReady(a)).toBe(true);
  expect(balancer.counts.serverErrors).toBe(0);
});

test("a backend that refuses the connection is skipped: the request goes to the other, and nothing is a 5xx", async () => {
  const a = await backend("a", { ready: true });
  const b = await backend("b", { ready: true });
  const { balancer, url } = await start([a, b]);
  // a goes away between two health checks.
  await new Promise((r) => servers[0]!.close(r));
  servers[0]!.closeAllConnections();
  for (let i = 0; i < 4; i++) expect(await nameOf(url)).toBe("b");
  expect(balancer.counts.serverErrors).toBe(0);
  expect(balancer.counts.answered).toBe(4);
});

test("with no backend ready the answer is 503, counted as a 5xx; streams pass through as they come", async () => {
  const state = { ready: false };
  const a = await backend("a", state);
  const { balancer, url } = await start([a]);
  const refused = await fetch(`${url}/x`);
  expect(refused.status).toBe(503);
  expect(balancer.counts.serverErrors).toBe(1);
  state.ready = true;
  await expect.poll(() => balancer.isReady(a)).toBe(true);
  const stream = await fetch(`${url}/stream`);
  expect(stream.headers.get("content-type")).toBe("text/event-stream");
  expect(await stream.text()).toBe("data: one\n\ndata: two\n\n");
});
