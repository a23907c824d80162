import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { transform } from "esbuild";
import { chromium } from "playwright-core";
import { BENCH_KEY, startBenchEngine } from "./engine";
import type { BenchPostgres } from "./postgres";
import { percentile } from "./stats";

const DIST = fileURLToPath(new URL("../../../apps/web/dist/", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface ConsoleLoadResult {
  /** Gzipped bytes of what the first page loads: the HTML, its stylesheet and scripts (preloads included). */
  firstPageGzipKb: number;
  /** The same for react and react-dom's production builds alone, minified: the floor of any React console. */
  reactGzipKb: number;
  /** What the signed-in overview pulled over the wire (gzipped by the engine): page, styles, every script. */
  overviewWireKb: number;
  /** Cold load (empty cache, new browser context) to the console's first interactive page, median. */
  signInMs: number;
  /** Cold load of the signed-in overview until its balance shows (session, account and jobs fetched). */
  overviewMs: number;
  /** Cold load of a static file from the same server to its load event: the browser's own floor. */
  baselineMs: number;
}

/**
 * The console's weight and first-page time. Timings come from the page's own clock (navigation start to the
 * `console-interactive` mark the app sets once its first page answers input), in a new context each round, so
 * nothing is cached. Needs apps/web built (pnpm bench builds it) and Debian's Chromium.
 */
export async function benchConsoleLoad(
  postgres: BenchPostgres,
  options: { rounds: number },
): Promise<ConsoleLoadResult | undefined> {
  if (!existsSync(`${DIST}index.html`) || !existsSync(CHROMIUM)) {
    console.log(`console: skipped (needs ${DIST} built and Chromium at ${CHROMIUM})`);
    return undefined;
  }
  const html = readFileSync(`${DIST}index.html`, "utf8");
  const files = [...html.matchAll(/(?:src|href)="\/(_app\/[^"]+)"/g)].map((m) => m[1]!);
  const gz = (data: string | Buffer) => gzipSync(data, { level: 9 }).length;
  const firstPage = gz(html) + files.reduce((sum, f) => sum + gz(readFileSync(DIST + f)), 0);
  // Resolved from the console's own dependencies: react-dom's client, react, and the scheduler it brings.
  const fromWeb = createRequire(`${DIST}../package.json`);
  const reactDom = dirname(fromWeb.resolve("react-dom/package.json"));
  const scheduler = dirname(createRequire(`${reactDom}/package.json`).resolve("scheduler/package.json"));
  // Minified as our bundle is (React 19 ships its production builds unminified).
  const reactSource = [
    join(dirname(fromWeb.resolve("react/package.json")), "cjs/react.production.js"),
    join(reactDom, "cjs/react-dom-client.production.js"),
    join(scheduler, "cjs/scheduler.production.js"),
  ]
    .map((path) => readFileSync(path, "utf8"))
    .join("\n");
  const react = gz((await transform(reactSource, { minify: true, format: "cjs" })).code);

  const databaseUrl = await postgres.freshDatabase("console");
  const engine = await startBenchEngine(databaseUrl, "all", { clients: 1 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
  try {
    await engine.submit({ type: "image", prompt: "bench", model: "dev-noop" });
    const signIn: number[] = [];
    const overview: number[] = [];
    const baseline: number[] = [];
    let overviewWire = 0;
    for (let round = 0; round < options.rounds; round++) {
      const cold = await browser.newContext({ baseURL: engine.url });
      const page = await cold.newPage();
      await page.goto("/favicon.svg", { waitUntil: "load" });
      baseline.push(
        await page.evaluate(
          () => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd,
        ),
      );
      await cold.close();

      const fresh = await browser.newContext({ baseURL: engine.url });
      const signInPage = await fresh.newPage();
      await signInPage.goto("/sign-in");
      await signInPage.waitForFunction(() => performance.getEntriesByName("console-interactive").length > 0);
      signIn.push(
        await signInPage.evaluate(() => performance.getEntriesByName("console-interactive")[0]!.startTime),
      );
      await fresh.close();

      const signedIn = await browser.newContext({ baseURL: engine.url });
      const login = await signedIn.request.post("/auth/login", {
        data: { apiKey: BENCH_KEY },
        headers: { origin: engine.url },
      });
      if (!login.ok()) throw new Error(`sign-in answered ${login.status()}`);
      // The moment the balance is drawn, taken by the page's own clock (polling it from here would add the
      // round trips of the DevTools protocol).
      await signedIn.addInitScript(() => {
        const seen = new MutationObserver(() => {
          if (!document.querySelector("[data-testid=balance]")) return;
          performance.mark("overview-data");
          seen.disconnect();
        });
        seen.observe(document, { subtree: true, childList: true, characterData: true });
      });
      const home = await signedIn.newPage();
      await home.goto("/");
      await home.getByTestId("balance").waitFor();
      overview.push(await home.evaluate(() => performance.getEntriesByName("overview-data")[0]!.startTime));
      overviewWire = await home.evaluate(() =>
        [
          ...performance.getEntriesByType("navigation"),
          ...performance
            .getEntriesByType("resource")
            .filter((r) =>
              ["script", "link", "css"].includes((r as PerformanceResourceTiming).initiatorType),
            ),
        ].reduce((sum, r) => sum + (r as PerformanceResourceTiming).encodedBodySize, 0),
      );
      await signedIn.close();
    }
    return {
      firstPageGzipKb: firstPage / 1024,
      reactGzipKb: react / 1024,
      overviewWireKb: overviewWire / 1024,
      signInMs: percentile(signIn, 0.5),
      overviewMs: percentile(overview, 0.5),
      baselineMs: percentile(baseline, 0.5),
    };
  } finally {
    await browser.close();
    await engine.stop();
  }
}
