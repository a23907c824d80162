import type { ModelInfo } from "@mcpmediaengine/contract";
import { Field } from "../../ui/controls";
import type { FieldSpec, FormValues } from "./schema-fields";

const LABELS: Record<string, string> = {
  prompt: "Prompt",
  durationSeconds: "Duration (seconds)",
  aspectRatio: "Aspect ratio",
  webhookUrl: "Webhook URL",
  webhookEvents: "Webhook events",
  metadata: "Metadata (JSON)",
  script: "Voiceover script",
};
/** Fields most people leave alone: folded under "Delivery and metadata". */
const ADVANCED = new Set(["webhookUrl", "webhookEvents", "metadata"]);

const labelOf = (name: string) =>
  LABELS[name] ?? name.replace(/([A-Z])/g, " $1").replace(/^./, (c) => c.toUpperCase());

export interface FormContext {
  type: "image" | "video" | "audio";
  models: ModelInfo[];
  /** Field errors by path (`voiceover.script`), from the contract's check or the server's answer. */
  errors: Record<string, string>;
  /** Placeholders that show a default the server will use (a preset's size). */
  placeholders?: Record<string, string>;
  /** The model chosen, or the type's default: its voices are offered. */
  model: string;
}

/** The fields of one job type, drawn from its contract schema (see schema-fields.ts). */
export function JobForm(props: {
  specs: FieldSpec[];
  values: FormValues;
  onChange: (values: FormValues) => void;
  context: FormContext;
}) {
  const main = props.specs.filter((s) => !ADVANCED.has(s.name));
  const advanced = props.specs.filter((s) => ADVANCED.has(s.name));
  return (
    <div className="stack">
      <div className="form-grid">
        {main.map((spec) => (
          <SpecField key={spec.name} spec={spec} path={spec.name} {...props} />
        ))}
      </div>
      {advanced.length > 0 ? (
        <details className="advanced">
          <summary>Delivery and metadata</summary>
          <div className="form-grid" style={{ marginTop: 12 }}>
            {advanced.map((spec) => (
              <SpecField key={spec.name} spec={spec} path={spec.name} {...props} />
            ))}
          </div>
        </details>
      ) : null}
    </div>
  );
}

function SpecField(props: {
  spec: FieldSpec;
  path: string;
  values: FormValues;
  onChange: (values: FormValues) => void;
  context: FormContext;
}) {
  const { spec, values, onChange, context, path } = props;
  const value = values[spec.name];
  const set = (v: FormValues[string]) => onChange({ ...values, [spec.name]: v });
  const error = context.errors[path];
  const wide =
    spec.name === "model" ||
    spec.kind === "object" ||
    spec.kind === "record" ||
    (spec.kind === "text" && spec.long);
  const className = wide || spec.kind === "multi" ? "wide" : undefined;
  const label = labelOf(spec.name);
  const chosen = spec.name === "model" ? context.models.find((m) => m.id === context.model) : undefined;
  // The model's own words beside the contract's: what it is good at, what it costs, why it cannot run here.
  const hint = chosen
    ? `${chosen.description} ${chosen.cost.rule}.${chosen.available ? "" : ` Not available here: ${chosen.reason ?? "not configured"}.`}`
    : spec.description;
  const text = typeof value === "string" ? value : "";

  if (spec.kind === "object") {
    const nested = (typeof value === "object" && !Array.isArray(value) ? value : {}) as FormValues;
    return (
      <fieldset className="wide stack">
        <legend className="field">
          <strong>{label}</strong> <span className="hint">{spec.description}</span>
        </legend>
        <div className="form-grid">
          {spec.fields.map((f) => (
            <SpecField
              key={f.name}
              spec={f}
              path={`${path}.${f.name}`}
              values={nested}
              onChange={(v) => set(v)}
              context={context}
            />
          ))}
        </div>
      </fieldset>
    );
  }

  if (spec.kind === "multi") {
    const chosen = Array.isArray(value) ? value : [];
    return (
      <fieldset className="field wide">
        <legend>{label}</legend>
        <div className="checks">
          {spec.options.map((o) => (
            <label key={o}>
              <input
                type="checkbox"
                checked={chosen.includes(o)}
                onChange={(e) => set(e.target.checked ? [...chosen, o] : chosen.filter((c) => c !== o))}
              />
              {o}
            </label>
          ))}
        </div>
        <span className="hint">{spec.description}</span>
        {error ? <span className="field-error">{error}</span> : null}
      </fieldset>
    );
  }

  return (
    <Field label={label} hint={hint} error={error} className={className}>
      {({ id, describedBy, invalid }) => {
        const common = {
          id,
          name: path,
          "aria-describedby": describedBy,
          "aria-invalid": invalid || undefined,
        };
        if (spec.name === "model")
          return <ModelSelect {...common} value={text} onChange={set} context={context} />;
        if (spec.name === "voice")
          return <VoiceSelect {...common} value={text} onChange={set} context={context} />;
        switch (spec.kind) {
          case "enum":
            return (
              <select {...common} value={text} onChange={(e) => set(e.target.value)}>
                <option value="">Default</option>
                {spec.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            );
          case "number":
            return (
              <input
                {...common}
                type="number"
                inputMode={spec.int ? "numeric" : "decimal"}
                min={spec.min}
                max={spec.max}
                step={spec.int ? 1 : 0.05}
                value={text}
                placeholder={context.placeholders?.[spec.name]}
                onChange={(e) => set(e.target.value)}
              />
            );
          case "record":
            return (
              <textarea
                {...common}
                rows={3}
                className="mono"
                placeholder='{"campaign": "spring"}'
                value={text}
                onChange={(e) => set(e.target.value)}
              />
            );
          default:
            return spec.kind === "text" && spec.long ? (
              <textarea
                {...common}
                required={spec.required}
                maxLength={spec.maxLength}
                rows={path === "prompt" ? 4 : 3}
                value={text}
                onChange={(e) => set(e.target.value)}
              />
            ) : (
              <input
                {...common}
                type={spec.name === "webhookUrl" ? "url" : "text"}
                required={spec.required}
                maxLength={spec.kind === "text" ? spec.maxLength : undefined}
                value={text}
                placeholder={
                  spec.name === "webhookUrl"
                    ? "https://example.com/hooks"
                    : spec.kind === "list"
                      ? "upl_… or https://…, separated by commas"
                      : undefined
                }
                onChange={(e) => set(e.target.value)}
              />
            );
        }
      }}
    </Field>
  );
}

type SelectProps = {
  id: string;
  name: string;
  value: string;
  onChange: (v: string) => void;
  context: FormContext;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean;
};

function ModelSelect({ value, onChange, context, ...rest }: SelectProps) {
  const models = context.models.filter((m) => m.type === context.type);
  return (
    <select {...rest} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Default ({models.find((m) => m.provider === "local")?.id ?? "local"})</option>
      {models.map((m) => (
        <option key={m.id} value={m.id} disabled={!m.available}>
          {m.id} — {m.cost.rule}
          {m.available ? "" : ` (unavailable: ${m.reason ?? "not configured"})`}
        </option>
      ))}
    </select>
  );
}

/** A speech model's voices; a clip's voiceover is spoken by local-voice. */
function VoiceSelect({ value, onChange, context, ...rest }: SelectProps & { name: string }) {
  const modelId = context.type === "audio" ? context.model : "local-voice";
  const model =
    context.models.find((m) => m.id === modelId) ??
    context.models.find((m) => m.type === "audio" && m.provider === "local");
  return (
    <select {...rest} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Default ({model?.voices?.[0] ?? "first voice"})</option>
      {(model?.voices ?? []).map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </select>
  );
}
