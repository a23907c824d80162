import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";
import { WebhookReceiver } from "./webhook-receiver";

// This server refuses private targets, as a production one does.
let server: TestServer;
let receiver: WebhookReceiver;
beforeAll(async () => {
  server = await startTestServer({ env: { MME_WEBHOOK_ALLOW_PRIVATE: "0" } });
  receiver = await new WebhookReceiver().start();
});
afterAll(async () => {
  await receiver.stop();
  await server.stop();
});

const IPV6_FORMS: [string, string][] = [
  ["IPv4-compatible loopback", "http://[::127.0.0.1]/hook"],
  ["IPv4-translated loopback", "http://[::ffff:0:7f00:1]/hook"],
  ["6to4 of loopback", "http://[2002:7f00:1::]/hook"],
  ["IPv6 site-local", "http://[fec0::1]/hook"],
  ["NAT64 of a private address", "http://[64:ff9b::a00:1]/hook"],
  ["NAT64's local-use prefix", "http://[64:ff9b:1::c0a8:1]/hook"],
];

const submit = (webhookUrl: string, model = "dev-noop", prompt = "x") =>
  server.api("/v1/jobs", {
    method: "POST",
    body: JSON.stringify({ type: "image", prompt, model, webhookUrl }),
  });

test.each([
  ["loopback", "http://127.0.0.1:8080/hook"],
  ["loopback by name", "http://localhost/hook"],
  ["IPv6 loopback", "http://[::1]/hook"],
  ["IPv4-mapped IPv6 loopback", "http://[::ffff:127.0.0.1]/hook"],
  ["private 10/8", "http://10.1.2.3/hook"],
  ["private 172.16/12", "https://172.20.0.1/hook"],
  ["private 192.168/16", "http://192.168.1.1/hook"],
  ["link-local", "http://169.254.10.10/hook"],
  ["cloud metadata", "http://169.254.169.254/latest/meta-data/"],
  ["IPv6 unique local (AWS metadata)", "http://[fd00:ec2::254]/"],
  ["IPv6 link-local", "http://[fe80::1]/"],
  ["unspecified", "http://0.0.0.0/"],
  ["carrier-grade NAT", "http://100.64.0.1/"],
  ["a name that does not resolve", "http://no-such-host.invalid/hook"],
  ["credentials in the URL", "http://user:pass@93.184.216.34/hook"],
  // Issue 15: IPv6 forms that carry a loopback or private IPv4, site-local, and NAT64.
  ...IPV6_FORMS,
])("a webhookUrl to %s is refused with 400 invalid_webhook_url", async (_, url) => {
  const response = await submit(url);
  expect(response.status).toBe(400);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("invalid_webhook_url");
  const endpoint = await server.api("/v1/webhooks/endpoints", {
    method: "POST",
    body: JSON.stringify({ url }),
  });
  expect(endpoint.status).toBe(400);
});

test("schemes other than http and https are refused as invalid_webhook_url, on jobs and endpoints alike", async () => {
  for (const url of ["ftp://example.com/x", "file:///etc/passwd", "gopher://example.com/", "not a url"]) {
    const response = await submit(url);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_webhook_url");
    const endpoint = await server.api("/v1/webhooks/endpoints", {
      method: "POST",
      body: JSON.stringify({ url }),
    });
    expect(((await endpoint.json()) as { error: { code: string } }).error.code).toBe("invalid_webhook_url");
  }
});

test("the address is checked again at delivery: a URL that has become private is not sent to", async () => {
  // Accepted while private targets were allowed, delivered after they no longer are (as after a DNS change).
  server.engine.webhooks.allowPrivate = true;
  const response = await submit(`${receiver.url}/rebound`, "dev-sleep", "sleep 300");
  expect(response.status).toBe(202);
  server.engine.webhooks.allowPrivate = false;
  const { jobId } = (await response.json()) as { jobId: string };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const log = (await (await server.api(`/v1/webhooks/deliveries?jobId=${jobId}`)).json()) as {
      data: { attempts: { statusCode: number | null; error: string | null }[] }[];
    };
    const attempt = log.data[0]?.attempts[0];
    if (attempt) {
      expect(attempt.statusCode).toBeNull();
      expect(attempt.error).toMatch(/private or reserved address/);
      break;
    }
    if (Date.now() > deadline) throw new Error("no attempt recorded");
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(receiver.at("/rebound")).toHaveLength(0);
});

test("the IPv6 forms of a private address are refused at delivery too", async () => {
  // Endpoints made while private targets were allowed, then an event for them once they no longer are.
  server.engine.webhooks.allowPrivate = true;
  const endpoints: string[] = [];
  for (const [, url] of IPV6_FORMS) {
    const created = await server.api("/v1/webhooks/endpoints", {
      method: "POST",
      body: JSON.stringify({ url, events: ["job.completed"] }),
    });
    expect(created.status).toBe(200);
    endpoints.push(((await created.json()) as { endpointId: string }).endpointId);
  }
  server.engine.webhooks.allowPrivate = false;
  const job = await server.api("/v1/jobs", {
    method: "POST",
    body: JSON.stringify({ type: "image", prompt: "x", model: "dev-noop" }),
  });
  expect(job.status).toBe(202);
  for (const endpointId of endpoints) {
    await expect
      .poll(
        async () => {
          const log = (await (
            await server.api(`/v1/webhooks/deliveries?endpointId=${endpointId}`)
          ).json()) as {
            data: { attempts: { statusCode: number | null; error: string | null }[] }[];
          };
          return log.data[0]?.attempts[0] ?? null;
        },
        { timeout: 30_000, interval: 50 },
      )
      .toMatchObject({ statusCode: null, error: expect.stringMatching(/private or reserved address/) });
  }
  for (const endpointId of endpoints) {
    await server.api(`/v1/webhooks/endpoints/${endpointId}`, { method: "DELETE" });
  }
});
