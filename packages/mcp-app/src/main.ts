import "../../../apps/web/src/ui/styles.css";
import "./app.css";
import type { Asset, Job, JobList } from "@mcpmediaengine/contract";
import { App } from "@modelcontextprotocol/ext-apps";
import { anotherSeed } from "./another-seed";
import { parseCaptions } from "./captions";
import { h } from "./dom";
import { galleryView, type JobActions, jobView } from "./views";

// The view of every tool that links it: a job (generate_*, wait_for_job, get_job_status, cancel_job) shown live,
// or a page of jobs (list_jobs) as a gallery. It reaches our server only through the host (tools/call and
// resources/read over the ext-apps bridge); the media load from the signed asset URLs the resource's CSP allows.

type ToolResult = { isError?: boolean; structuredContent?: Record<string, unknown>; content?: unknown[] };

const root = document.getElementById("root")!;
const app = new App({ name: "mcp-media-engine-gallery", version: "0.1.0" }, {}, { autoResize: true });
/** Bumped by every new view: a job followed by an older view stops following it. */
let current = 0;
let lastList: JobList | undefined;

/** How long each wait_for_job call waits: short enough for the progress bar to move. */
const FOLLOW_SECONDS = 2;

function show(element: HTMLElement): number {
  root.replaceChildren(element);
  return ++current;
}

function notice(message: string): void {
  const line = root.querySelector('[data-testid="notice"]');
  if (line) line.textContent = message;
  else root.prepend(h("p", { class: "note error", role: "alert" }, message));
}

function errorText(result: ToolResult): string {
  const first = result.content?.[0] as { text?: string } | undefined;
  try {
    const body = JSON.parse(first?.text ?? "") as { error?: { message?: string } };
    return body.error?.message ?? first?.text ?? "The tool failed.";
  } catch {
    return first?.text ?? "The tool failed.";
  }
}

/** A tool's result, from the host's notification or from a call of ours. */
function showResult(result: ToolResult): void {
  if (result.isError) {
    notice(errorText(result));
    return;
  }
  const value = result.structuredContent;
  if (value && Array.isArray(value.data)) {
    lastList = value as unknown as JobList;
    show(galleryView(lastList, (job) => showJob(job, true)));
  } else if (value && typeof value.jobId === "string") showJob(value as unknown as Job, false);
}

async function call(name: string, args: Record<string, unknown>): Promise<ToolResult> {
  return (await app.callServerTool({ name, arguments: args })) as ToolResult;
}

const actions = (fromGallery: boolean): JobActions => ({
  cancel: (job) => {
    notice("Canceling…");
    call("cancel_job", { jobId: job.jobId }).then(showResult, (e: unknown) => notice(String(e)));
  },
  anotherSeed: (job) => {
    notice("Starting another…");
    const next = anotherSeed(job);
    call(next.name, next.arguments).then(showResult, (e: unknown) => notice(String(e)));
  },
  download: (job, asset) => void download(job, asset).catch((e: unknown) => notice(String(e))),
  captions: async (asset) => {
    const read = await app.readServerResource({ uri: `asset://${asset.assetId}` });
    const content = read.contents[0] as { blob?: string; text?: string } | undefined;
    const text =
      content?.text ??
      new TextDecoder().decode(Uint8Array.from(atob(content?.blob ?? ""), (c) => c.charCodeAt(0)));
    return parseCaptions(text);
  },
  ...(fromGallery &&
    lastList && {
      back: () => showResult({ structuredContent: lastList as unknown as Record<string, unknown> }),
    }),
});

/** Shows the job and, while it runs, follows it with wait_for_job until it ends or another view replaces it. */
function showJob(job: Job, fromGallery: boolean): void {
  const mine = show(jobView(job, actions(fromGallery)));
  if (["completed", "failed", "canceled"].includes(job.status)) return;
  call("wait_for_job", { jobId: job.jobId, timeoutSeconds: FOLLOW_SECONDS }).then(
    (result) => {
      if (mine !== current) return;
      if (result.isError) return notice(errorText(result));
      showJob(result.structuredContent as unknown as Job, fromGallery);
    },
    (e: unknown) => mine === current && notice(String(e)),
  );
}

/** Through the host's download (it asks the person); a host without one opens the signed URL instead. */
async function download(job: Job, asset: Asset): Promise<void> {
  const name = `${job.jobId}.${asset.mimeType.split("/")[1] ?? "bin"}`;
  if (app.getHostCapabilities()?.downloadFile) {
    const { isError } = await app.downloadFile({
      contents: [{ type: "resource_link", uri: asset.url, name, mimeType: asset.mimeType }],
    });
    if (!isError) return;
  }
  await app.openLink({ url: asset.url });
}

// The call's arguments come before its result: a generate call shows its prompt until the job arrives.
app.ontoolinput = ({ arguments: args }) => {
  const prompt = (args as { prompt?: unknown } | undefined)?.prompt;
  if (typeof prompt === "string") show(h("p", { class: "muted" }, `Starting: ${prompt}`));
};
app.ontoolresult = (result) => showResult(result as ToolResult);
app.ontoolcancelled = () => notice("The tool call was cancelled.");
await app.connect();
