import type { Asset, Job, JobList } from "@mcpmediaengine/contract";
import type { Cue } from "./captions";
import { h } from "./dom";

/** What the job view's buttons do; the controller (main.ts) calls our tools through the host for them. */
export interface JobActions {
  cancel(job: Job): void;
  anotherSeed(job: Job): void;
  download(job: Job, asset: Asset): void;
  captions(asset: Asset): Promise<Cue[]>;
  back?: () => void;
}

const ENDED = ["completed", "failed", "canceled"];

function mainAsset(job: Job): Asset | undefined {
  return job.result?.assets.find((a) => a.role === "main");
}

function title(job: Job): string {
  return String((job.input as { prompt: string }).prompt);
}

/** The job as it stands: status and progress, the media, and what the person can do with it. */
export function jobView(job: Job, actions: JobActions): HTMLElement {
  const ended = ENDED.includes(job.status);
  const percent = Math.round(job.progress * 100);
  const main = mainAsset(job);
  return h(
    "section",
    { class: "card stack job", "data-job-id": job.jobId, "data-status": job.status },
    h(
      "div",
      { class: "row" },
      actions.back &&
        h("button", { class: "button small link", type: "button", onclick: actions.back }, "← All jobs"),
      h("span", { class: `badge ${job.status}`, "data-testid": "status" }, job.status),
      h(
        "span",
        { class: "muted small" },
        `${job.type} · ${job.model} · seed ${String((job.input as { seed: number }).seed)}`,
      ),
    ),
    h("h2", {}, title(job)),
    !ended &&
      h(
        "div",
        {
          class: "progress",
          role: "progressbar",
          "aria-label": "Progress",
          "aria-valuemin": 0,
          "aria-valuemax": 100,
          "aria-valuenow": percent,
        },
        h("span", { style: `width: ${percent}%` }),
      ),
    job.status === "failed" && h("p", { class: "note error" }, `${job.error?.code}: ${job.error?.message}`),
    main && media(job, main, actions),
    h(
      "div",
      { class: "actions" },
      !ended &&
        h("button", { class: "button danger", type: "button", onclick: () => actions.cancel(job) }, "Cancel"),
      main &&
        h(
          "button",
          { class: "button", type: "button", onclick: () => actions.download(job, main) },
          "Download",
        ),
      h(
        "button",
        { class: "button primary", type: "button", onclick: () => actions.anotherSeed(job) },
        "Another with a new seed",
      ),
    ),
    h("p", { class: "muted small", "data-testid": "notice", role: "status" }),
  );
}

function media(job: Job, main: Asset, actions: JobActions): HTMLElement {
  const poster = job.result?.assets.find((a) => a.role === "poster");
  if (job.type === "image")
    return h(
      "div",
      { class: "media-frame" },
      h("img", { src: main.url, alt: title(job), width: main.width, height: main.height }),
    );
  if (job.type === "video")
    return h(
      "div",
      { class: "media-frame" },
      h("video", {
        src: main.url,
        poster: poster?.url,
        controls: true,
        preload: "metadata",
        playsinline: true,
      }),
    );
  // Speech: the player, and its captions shown beside it, the line being spoken marked as it plays.
  const audio = h("audio", { src: main.url, controls: true, preload: "metadata" });
  const lines = h("ol", { class: "captions", "aria-label": "Captions" });
  const captions =
    job.result?.assets.find((a) => a.role === "captions" && a.mimeType.includes("vtt")) ??
    job.result?.assets.find((a) => a.role === "captions");
  if (captions)
    void actions.captions(captions).then(
      (cues) => {
        for (const cue of cues)
          lines.append(h("li", { "data-start": cue.start, "data-end": cue.end }, cue.text));
        audio.addEventListener("timeupdate", () => {
          for (const line of lines.children) {
            const start = Number(line.getAttribute("data-start"));
            const end = Number(line.getAttribute("data-end"));
            line.classList.toggle("speaking", audio.currentTime >= start && audio.currentTime < end);
          }
        });
      },
      () => lines.append(h("li", { class: "muted" }, "The captions could not be read.")),
    );
  return h("div", { class: "stack" }, audio, lines);
}

/** list_jobs as a grid: a still for each job (the image, or a clip's poster), its status and prompt. */
export function galleryView(list: JobList, open: (job: Job) => void): HTMLElement {
  if (list.data.length === 0) return h("p", { class: "empty" }, "No jobs yet.");
  return h(
    "section",
    { class: "gallery", "aria-label": "Jobs" },
    ...list.data.map((job) => {
      const still =
        job.result?.assets.find((a) => a.role === "main" && a.mimeType.startsWith("image/")) ??
        job.result?.assets.find((a) => a.role === "poster");
      return h(
        "button",
        { class: "tile", type: "button", "data-job-id": job.jobId, onclick: () => open(job) },
        still
          ? h("img", { src: still.url, alt: title(job) })
          : h("div", { class: "tile-placeholder" }, job.type),
        h(
          "span",
          { class: "tile-body" },
          h("span", { class: `badge ${job.status}` }, job.status),
          h("span", { class: "tile-title" }, title(job)),
        ),
      );
    }),
  );
}
