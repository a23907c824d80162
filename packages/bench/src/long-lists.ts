import { existsSync } from "node:fs";
import { newId } from "@mcpmediaengine/contract";
import pg from "pg";
import { chromium, type Page } from "playwright-core";
import { BENCH_KEY, startBenchEngine } from "./engine";
import type { BenchPostgres } from "./postgres";
import { percentile } from "./stats";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface LongListsResult {
  jobs: number;
  /** GET /v1/jobs?limit=25: the last page (through a cursor 9,975 jobs deep) and the first, median. */
  jobsLastPageMs: number;
  jobsFirstPageMs: number;
  /** GET /v1/assets?role=main&limit=24 (the gallery), the same way. */
  assetsLastPageMs: number;
  assetsFirstPageMs: number;
  /** The console's jobs page: "Next" pressed to the new rows drawn, the last ten pages and the first ten, median. */
  consoleDeepNextMs?: number;
  consoleFirstNextMs?: number;
}

/**
 * An account with `count` completed jobs (one made by the engine, copied in SQL so the seeding takes seconds), then
 * the lists a console user pages through: the API's first page against its last, and the jobs page in Chromium
 * paged from the first page to the last. Paging is by id cursor on (account_id, id) indexes, so a deep page
 * should cost what the first one does.
 */
export async function benchLongLists(
  postgres: BenchPostgres,
  options: { count: number; rounds: number },
): Promise<LongListsResult> {
  const databaseUrl = await postgres.freshDatabase("long_lists");
  const engine = await startBenchEngine(databaseUrl, "all", { clients: 1 });
  const db = new pg.Client({ connectionString: databaseUrl });
  db.on("error", () => {});
  await db.connect();
  try {
    const { jobId } = await engine.submit({ type: "image", prompt: "bench", model: "dev-noop" });
    await waitCompleted(db, jobId);
    await copyJob(db, jobId, options.count - 1);

    const timeGet = async (path: string) => {
      const started = performance.now();
      const response = await fetch(`${engine.url}${path}`, {
        headers: { authorization: `Bearer ${BENCH_KEY}` },
      });
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      await response.arrayBuffer();
      return performance.now() - started;
    };
    const cursorAt = async (table: "jobs" | "assets", offset: number) => {
      const { rows } = await db.query<{ id: string }>(
        `select id from ${table} order by id desc offset $1 limit 1`,
        [offset - 1],
      );
      return Buffer.from(rows[0]!.id).toString("base64url");
    };
    const jobsDeep = await cursorAt("jobs", options.count - 25);
    const assetsDeep = await cursorAt("assets", options.count - 24);
    const samples = { jobsFirst: [] as number[], jobsLast: [] as number[], assetsFirst: [] as number[] };
    const assetsLast: number[] = [];
    for (let i = 0; i < options.rounds * 10; i++) {
      samples.jobsFirst.push(await timeGet("/v1/jobs?limit=25"));
      samples.jobsLast.push(await timeGet(`/v1/jobs?limit=25&cursor=${jobsDeep}`));
      samples.assetsFirst.push(await timeGet("/v1/assets?role=main&limit=24"));
      assetsLast.push(await timeGet(`/v1/assets?role=main&limit=24&cursor=${assetsDeep}`));
    }
    const result: LongListsResult = {
      jobs: options.count,
      jobsFirstPageMs: percentile(samples.jobsFirst, 0.5),
      jobsLastPageMs: percentile(samples.jobsLast, 0.5),
      assetsFirstPageMs: percentile(samples.assetsFirst, 0.5),
      assetsLastPageMs: percentile(assetsLast, 0.5),
    };
    if (!existsSync(CHROMIUM)) return result;

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox"],
    });
    try {
      const context = await browser.newContext({ baseURL: engine.url });
      const login = await context.request.post("/auth/login", {
        data: { apiKey: BENCH_KEY },
        headers: { origin: engine.url },
      });
      if (!login.ok()) throw new Error(`sign-in answered ${login.status()}`);
      const page = await context.newPage();
      await page.goto("/jobs");
      await page.locator("tbody tr").first().waitFor();
      const pages = Math.ceil(options.count / 25);
      const nexts: number[] = [];
      for (let i = 1; i < pages; i++) nexts.push(await pressNext(page));
      result.consoleDeepNextMs = percentile(nexts.slice(-10), 0.5);
      // The baseline right after, on a fresh page, so both see the same load on the machine.
      await page.reload();
      await page.locator("tbody tr").first().waitFor();
      const first: number[] = [];
      for (let i = 0; i < 10; i++) first.push(await pressNext(page));
      result.consoleFirstNextMs = percentile(first, 0.5);
    } finally {
      await browser.close();
    }
    return result;
  } finally {
    await db.end();
    await engine.stop();
  }
}

async function waitCompleted(db: pg.Client, jobId: string): Promise<void> {
  for (;;) {
    const { rows } = await db.query<{ status: string }>("select status from jobs where id = $1", [jobId]);
    if (rows[0]?.status === "completed") return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `copies` more completed jobs like `jobId`, each with a copy of its assets, older than it, in one statement each. */
async function copyJob(db: pg.Client, jobId: string, copies: number): Promise<void> {
  const now = Date.now();
  const jobIds = Array.from({ length: copies }, (_, i) => newId("job", now - (i + 1) * 1000));
  const assetIds = Array.from({ length: copies }, (_, i) => newId("asset", now - (i + 1) * 1000));
  await db.query(
    `insert into jobs
       select (jsonb_populate_record(null::jobs, to_jsonb(j) || jsonb_build_object('id', c.id))).*
       from jobs j, unnest($2::text[]) as c(id) where j.id = $1`,
    [jobId, jobIds],
  );
  await db.query(
    `insert into assets
       select (jsonb_populate_record(null::assets,
         to_jsonb(a) || jsonb_build_object('id', c.asset_id, 'job_id', c.job_id))).*
       from assets a, unnest($2::text[], $3::text[]) as c(job_id, asset_id) where a.job_id = $1`,
    [jobId, jobIds, assetIds],
  );
  await db.query("analyze jobs; analyze assets");
}

/**
 * Presses the pager's Next and times it, on the page's own clock, until the table's first row changes. A string,
 * not a function: tsx's names for functions (`__name`) do not exist in the page.
 */
function pressNext(page: Page): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const firstRow = () => document.querySelector("tbody tr")?.getAttribute("data-job-id");
    const before = firstRow();
    const next = Array.from(document.querySelectorAll("nav[aria-label=Pages] button")).find(
      (b) => b.textContent === "Next",
    );
    const started = performance.now();
    const seen = new MutationObserver(() => {
      if (firstRow() === before) return;
      seen.disconnect();
      resolve(performance.now() - started);
    });
    seen.observe(document.body, { subtree: true, childList: true, attributes: true });
    next.click();
  })`);
}
