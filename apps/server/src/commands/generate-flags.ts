import { JobRequest, type MediaType } from "@mcpmediaengine/contract";
import { z } from "zod";

/**
 * `generate`'s flags, read from the contract's job requests: every field of a job of that type is a flag (in
 * kebab case: webhookUrl is --webhook-url), typed and described as the contract says, so a field added there is a
 * flag here. A few shorthands read better on a command line: --size WxH (width and height), --duration
 * (durationSeconds), --voiceover "SCRIPT" (the voiceover's script; --voice then picks its voice), --metadata
 * KEY=VALUE (repeatable). This module loads the contract and zod only: `generate --help` must start fast.
 */

/** A command-line problem (a flag, an argument, a missing setting), told plainly (no stack) by the CLI. */
export class FlagError extends Error {
  override name = "FlagError";
}

type Shape = Record<string, z.ZodType>;

const SHORTHANDS: Record<string, { field: string; value: string; help: string }> = {
  size: { field: "width", value: "WxH", help: "Width and height in pixels, such as 1024x768." },
  duration: { field: "durationSeconds", value: "S", help: "" },
};
// Fields that are not flags of their own: the positional arguments, and those the shorthands above stand for.
const NOT_FLAGS = new Set(["type", "prompt", "durationSeconds"]);

const shapeOf = (type: MediaType): Shape =>
  JobRequest.options.find((o) => o.shape.type.value === type)!.shape as unknown as Shape;

const unwrap = (schema: z.ZodType): z.ZodType =>
  schema instanceof z.ZodOptional || schema instanceof z.ZodDefault
    ? unwrap(schema.unwrap() as z.ZodType)
    : schema;

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The flags of one media type's jobs: flag name → the field it sets. */
function flagsOf(type: MediaType): Map<string, string> {
  const flags = new Map<string, string>();
  for (const field of Object.keys(shapeOf(type))) {
    if (NOT_FLAGS.has(field)) continue;
    flags.set(kebab(field), field);
  }
  if (flags.has("width")) flags.set("size", "width");
  if ("durationSeconds" in shapeOf(type)) flags.set("duration", "durationSeconds");
  if ("voiceover" in shapeOf(type)) flags.set("voice", "voiceover");
  return flags;
}

const TYPES: MediaType[] = ["image", "video", "audio"];

/** Every flag of any type, as node:util parseArgs takes them (values checked after, by the type's schema). */
export function generateOptions(): Record<string, { type: "string"; multiple?: boolean }> {
  const options: Record<string, { type: "string"; multiple?: boolean }> = {};
  for (const type of TYPES) for (const flag of flagsOf(type).keys()) options[flag] = { type: "string" };
  options.metadata = { type: "string", multiple: true };
  return options;
}

/** A flag's value as its field takes it; a value of the wrong kind names the flag ("--seed must be an integer"). */
function readValue(flag: string, schema: z.ZodType, raw: string): unknown {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodNumber) {
    const integer = inner.format === "safeint" || inner.format === "int32" || inner.isInt === true;
    const value = raw.trim() === "" ? Number.NaN : Number(raw);
    if (!Number.isFinite(value))
      throw new FlagError(`--${flag} must be ${integer ? "an integer" : "a number"}.`);
    if (integer && !Number.isInteger(value)) throw new FlagError(`--${flag} must be an integer.`);
    return value;
  }
  if (inner instanceof z.ZodArray) return raw.split(",").map((v) => v.trim());
  return raw;
}

/** The schema's refusal of one flag's value, naming the flag. */
function check(flag: string, schema: z.ZodType, value: unknown): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return value;
  const inner = unwrap(schema);
  const issue = parsed.error.issues[0]!;
  if (inner instanceof z.ZodEnum)
    throw new FlagError(`--${flag} must be one of ${inner.options.join(", ")}, not "${String(value)}".`);
  throw new FlagError(`--${flag}: ${issue.message}`);
}

/** The job request that `generate TYPE PROMPT --flags…` asks for; every flag checked and named when wrong. */
export function jobRequestFromFlags(
  type: MediaType,
  prompt: string,
  values: Record<string, string | string[] | boolean | undefined>,
): Record<string, unknown> {
  const shape = shapeOf(type);
  const flags = flagsOf(type);
  const request: Record<string, unknown> = { type, prompt };
  for (const [flag, raw] of Object.entries(values)) {
    if (raw === undefined || typeof raw === "boolean" || flag === "metadata") continue;
    if (!(flag in generateOptions())) continue;
    const field = flags.get(flag);
    if (!field) {
      const takers = TYPES.filter((t) => flagsOf(t).has(flag));
      throw new FlagError(`--${flag} is not an option of ${type} jobs (it is for ${takers.join(" and ")}).`);
    }
    const text = raw as string;
    if (flag === "size") {
      const match = /^(\d+)x(\d+)$/i.exec(text.trim());
      if (!match) throw new FlagError(`--size must be WIDTHxHEIGHT in pixels, such as 1024x768.`);
      request.width = check(flag, shape.width!, Number(match[1]));
      request.height = check(flag, shape.height!, Number(match[2]));
      continue;
    }
    if (field === "voiceover") {
      const voiceover = (request.voiceover ?? {}) as Record<string, unknown>;
      voiceover[flag === "voice" ? "voice" : "script"] = text;
      request.voiceover = voiceover;
      continue;
    }
    request[field] = check(flag, shape[field]!, readValue(flag, shape[field]!, text));
  }
  if (type === "video" && request.voiceover && !(request.voiceover as { script?: string }).script)
    throw new FlagError("--voice picks the voiceover's voice: give the script with --voiceover too.");
  if (request.voiceover) request.voiceover = check("voiceover", shape.voiceover!, request.voiceover);
  const metadata = values.metadata as string[] | undefined;
  if (metadata?.length) {
    const entries = metadata.map((pair) => {
      const at = pair.indexOf("=");
      if (at < 1) throw new FlagError(`--metadata takes KEY=VALUE, not "${pair}".`);
      return [pair.slice(0, at), pair.slice(at + 1)] as const;
    });
    request.metadata = check("metadata", shape.metadata!, Object.fromEntries(entries));
  }
  return request;
}

/** `generate --help`: each type's flags with the contract's description of the field. */
export function generateUsage(): string {
  const lines = [
    `Usage: mcp-media-engine generate image|video|audio "PROMPT" [flags] [--out FILE] [--wait] [--json]`,
    "",
    "Submit a job to MME_API_URL as MME_API_KEY and print its id; with --wait (implied by --out) wait with a",
    "progress line (status and percent, from the job's event stream), save the first asset to --out FILE and",
    "print where it went.",
    "",
  ];
  for (const type of TYPES) {
    lines.push(`${type} flags:`);
    const shape = shapeOf(type);
    for (const [flag, field] of flagsOf(type)) {
      const shorthand = SHORTHANDS[flag];
      const value = shorthand?.value ?? valueName(shape[field]!);
      const described =
        flag === "voice" && field === "voiceover"
          ? "The narrator's voice (with --voiceover)."
          : flag === "voiceover"
            ? "What the narrator says, also shown as captions."
            : shorthand?.help || (shape[field]!.description ?? unwrap(shape[field]!).description ?? "");
      if (flag !== "metadata") lines.push(flagLine(`${flag} ${value}`, described));
    }
    lines.push("");
  }
  lines.push("any type:");
  lines.push(flagLine("metadata KEY=VALUE", "Your own key-value pair, returned with the job (repeatable)."));
  lines.push(
    flagLine(
      "image FILE",
      "Upload a PNG, JPEG or WebP and start from it: an image job's input image, a video's still.",
    ),
  );
  lines.push(flagLine("out FILE", "Wait, then save the first asset there."));
  lines.push(flagLine("wait", "Wait for the job to end, with a progress line."));
  lines.push(flagLine("json", "Print the job as JSON."));
  return `${lines.join("\n")}\n`;
}

/** "  --flag VALUE   description", the description wrapped at 110 columns under its own column. */
function flagLine(flag: string, description: string): string {
  const indent = " ".repeat(34);
  const words = description.split(" ");
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && indent.length + line.length + word.length + 1 > 110) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  const head = `  --${flag}`;
  const first = head.length < indent.length ? `${head.padEnd(indent.length)}${lines.shift() ?? ""}` : head;
  return [first, ...lines.map((l) => `${indent}${l}`)].join("\n");
}

function valueName(schema: z.ZodType): string {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodEnum) return inner.options.join("|");
  if (inner instanceof z.ZodNumber) return "N";
  if (inner instanceof z.ZodArray) return "A,B";
  if (inner instanceof z.ZodObject) return "TEXT";
  return "TEXT";
}
