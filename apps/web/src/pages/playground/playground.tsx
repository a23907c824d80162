import {
  AudioJobRequest,
  DEFAULT_MODEL,
  IMAGE_PRESETS,
  ImageJobRequest,
  type ImagePresetId,
  type Job,
  JobRequest,
  VideoJobRequest,
} from "@mcpmediaengine/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { fieldErrors, toShownError } from "../../api/errors";
import { trpc } from "../../api/trpc";
import { formatCredits } from "../../format";
import { Link, setSearch, useLocation } from "../../router/router";
import { JobOutput } from "../../ui/asset-view";
import { CopyButton, Segmented } from "../../ui/controls";
import { ErrorNote, ProgressBar, StatusBadge } from "../../ui/feedback";
import { Card, PageHeader } from "../../ui/page";
import { type CopyFormat, copyAs } from "./copy-as";
import { JobForm } from "./job-form";
import { type FormValues, fieldsOf, toRequest } from "./schema-fields";

type MediaType = "image" | "video" | "audio";
const COPY_LABELS: Record<CopyFormat, string> = { curl: "curl", sdk: "SDK", mcp: "MCP" };
const SCHEMAS = { image: ImageJobRequest, video: VideoJobRequest, audio: AudioJobRequest };
const STARTERS: Record<MediaType, FormValues> = {
  image: { prompt: "", preset: "blog_thumbnail" },
  video: { prompt: "", durationSeconds: "5" },
  audio: { prompt: "" },
};

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function Playground() {
  const { search } = useLocation();
  const type = (
    ["image", "video", "audio"].includes(search.get("type") ?? "") ? search.get("type") : "image"
  ) as MediaType;
  const client = useQueryClient();
  const [values, setValues] = useState<Record<MediaType, FormValues>>(STARTERS);
  const [checked, setChecked] = useState(false);
  const [jobId, setJobId] = useState<string>();
  const [format, setFormat] = useState<CopyFormat>("curl");

  const specs = useMemo(() => fieldsOf(SCHEMAS[type]), [type]);
  const request = useMemo(() => toRequest(type, specs, values[type]), [type, specs, values]);
  const parsed = JobRequest.safeParse(request);
  const localErrors = parsed.success
    ? {}
    : Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message]));

  const models = useQuery({
    queryKey: ["models"],
    queryFn: () => trpc.models.list.query(),
    staleTime: 300_000,
  });
  const debouncedRequest = useDebounced(parsed.success ? JSON.stringify(request) : null, 250);
  const estimate = useQuery({
    queryKey: ["estimate", debouncedRequest],
    queryFn: () => trpc.jobs.estimate.mutate(JSON.parse(debouncedRequest!)),
    enabled: debouncedRequest !== null,
    retry: false,
  });
  const submit = useMutation({
    mutationFn: () => trpc.jobs.create.mutate(request as JobRequest),
    onSuccess: (job) => {
      client.setQueryData(["job", job.jobId], job);
      void client.invalidateQueries({ queryKey: ["account"] });
      setJobId(job.jobId);
    },
  });
  const job = useQuery({
    queryKey: ["job", jobId],
    queryFn: () => trpc.jobs.get.query({ jobId: jobId! }),
    enabled: Boolean(jobId),
    // The live stream keeps this current.
    staleTime: Number.POSITIVE_INFINITY,
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (parsed.success) submit.mutate();
  };
  const preset = type === "image" ? IMAGE_PRESETS[values.image.preset as ImagePresetId] : undefined;
  const chosenModel = (values[type].model as string) || DEFAULT_MODEL[type];
  const errors = {
    ...(checked ? localErrors : {}),
    ...fieldErrors(submit.error ? toShownError(submit.error) : undefined),
  };

  return (
    <div className="page">
      <PageHeader
        title="Playground"
        description="Try any model with every option, see what it costs before you run it, and watch it run."
        actions={
          <Segmented
            label="Media type"
            value={type}
            onChange={(t) => {
              setSearch({ type: t }, { replace: true });
              setChecked(false);
              submit.reset();
            }}
            options={[
              { value: "image", label: "Image" },
              { value: "video", label: "Video" },
              { value: "audio", label: "Audio" },
            ]}
          />
        }
      />
      <div className="split">
        <Card title={`New ${type} job`} labelledBy="form-title">
          <form className="stack" onSubmit={onSubmit} noValidate aria-labelledby="form-title">
            <ErrorNote error={models.error} />
            <JobForm
              specs={specs}
              values={values[type]}
              onChange={(v) => setValues((all) => ({ ...all, [type]: v }))}
              context={{
                type,
                models: models.data?.data ?? [],
                errors,
                model: chosenModel,
                placeholders: preset
                  ? { width: String(preset.width), height: String(preset.height) }
                  : undefined,
              }}
            />
            <div className="row" style={{ justifyContent: "space-between" }}>
              <Estimate
                pending={
                  parsed.success && (estimate.isFetching || debouncedRequest !== JSON.stringify(request))
                }
                credits={estimate.data?.credits}
                model={estimate.data?.model}
                available={estimate.data?.available}
                error={parsed.success ? estimate.error : undefined}
              />
              <button type="submit" className="button primary" disabled={submit.isPending}>
                {submit.isPending ? "Submitting…" : "Generate"}
              </button>
            </div>
            <ErrorNote error={submit.error} />
          </form>
        </Card>
        <div className="stack" style={{ gap: 24 }}>
          <Card title="Result" labelledBy="result-title">
            {job.data ? (
              <LiveJob job={job.data} />
            ) : (
              <p className="muted">
                Fill in a prompt and press Generate. The job's progress and its result appear here as they
                happen.
              </p>
            )}
          </Card>
          <Card
            title="Copy as"
            labelledBy="copy-title"
            actions={
              <Segmented
                label="Copy format"
                value={format}
                onChange={setFormat}
                options={(["curl", "sdk", "mcp"] as const).map((value) => ({
                  value,
                  label: COPY_LABELS[value],
                }))}
              />
            }
          >
            <pre className="code" data-testid="copy-as">
              {copyAs(format, request, location.origin)}
            </pre>
            <div>
              <CopyButton
                text={copyAs(format, request, location.origin)}
                label={`Copy ${COPY_LABELS[format]}`}
              />
            </div>
          </Card>
        </div>
      </div>
    </div>
  );
}

function Estimate(props: {
  pending: boolean;
  credits?: number;
  model?: string;
  available?: boolean;
  error: unknown;
}) {
  let text = "Fill in the form to see the cost.";
  if (props.error) text = toShownError(props.error).message;
  else if (props.credits !== undefined)
    text = `${formatCredits(props.credits)} on ${props.model}${props.available ? "" : " (not available here)"}`;
  return (
    <p className="muted" aria-live="polite" data-testid="estimate" data-pending={props.pending || undefined}>
      {text}
    </p>
  );
}

function LiveJob(props: { job: Job }) {
  const { job } = props;
  return (
    <div className="stack" data-testid="live-job" data-status={job.status}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <span className="row">
          <StatusBadge status={job.status} />
          <Link to={`/jobs/${job.jobId}`} className="mono small">
            {job.jobId}
          </Link>
        </span>
        <span className="small muted">{formatCredits(job.cost.credits)}</span>
      </div>
      {job.status === "queued" || job.status === "processing" ? (
        <ProgressBar value={job.progress} label="Progress" />
      ) : null}
      {job.error ? (
        <div className="note error" role="alert">
          {job.error.code}: {job.error.message}
        </div>
      ) : null}
      <JobOutput job={job} />
    </div>
  );
}
