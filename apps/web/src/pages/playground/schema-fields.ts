import type { z } from "zod";

/**
 * The playground's forms are read off the contract's request schemas, so a field added, a limit changed or an
 * option removed there shows here without a change to the console: each field's kind, options, limits and help
 * text (the contract's `.describe()`) come from the schema.
 */
export type FieldSpec =
  | { name: string; kind: "text"; long: boolean; maxLength?: number; required: boolean; description: string }
  | {
      name: string;
      kind: "number";
      min?: number;
      max?: number;
      int: boolean;
      required: boolean;
      description: string;
    }
  | { name: string; kind: "enum"; options: string[]; required: boolean; description: string }
  | { name: string; kind: "multi"; options: string[]; required: boolean; description: string }
  | { name: string; kind: "object"; fields: FieldSpec[]; required: boolean; description: string }
  | { name: string; kind: "record"; required: boolean; description: string }
  /** A list of plain values (input images: upload ids or URLs), typed as one text, separated by commas. */
  | { name: string; kind: "list"; required: boolean; description: string };

type AnySchema = z.ZodType & {
  def: { type: string };
  description?: string;
  unwrap?: () => AnySchema;
  options?: string[];
  element?: AnySchema;
  shape?: Record<string, AnySchema>;
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
  maxLength?: number | null;
};

/** Prompts longer than this get a text area. */
const LONG_TEXT = 500;

export function fieldsOf(schema: { shape: Record<string, unknown> }): FieldSpec[] {
  const out: FieldSpec[] = [];
  for (const [name, raw] of Object.entries(schema.shape)) {
    let s = raw as AnySchema;
    const required = s.def.type !== "optional";
    let description = s.description;
    while (s.def.type === "optional" && s.unwrap) {
      s = s.unwrap();
      description ??= s.description;
    }
    description ??= "";
    switch (s.def.type) {
      case "literal":
        break; // `type`: chosen by the form itself
      case "string":
        out.push({
          name,
          kind: "text",
          long: (s.maxLength ?? 0) >= LONG_TEXT,
          maxLength: s.maxLength ?? undefined,
          required,
          description,
        });
        break;
      case "number":
        out.push({
          name,
          kind: "number",
          min: s.minValue ?? undefined,
          max: s.maxValue ?? undefined,
          int: Boolean(s.isInt),
          required,
          description,
        });
        break;
      case "enum":
        out.push({ name, kind: "enum", options: [...(s.options ?? [])], required, description });
        break;
      case "array":
        if (s.element?.def.type === "enum")
          out.push({ name, kind: "multi", options: [...(s.element.options ?? [])], required, description });
        else out.push({ name, kind: "list", required, description });
        break;
      case "union":
        // An image source (an upload's id or a URL): both are text.
        out.push({ name, kind: "text", long: false, required, description });
        break;
      case "object":
        out.push({
          name,
          kind: "object",
          fields: fieldsOf(s as { shape: Record<string, unknown> }),
          required,
          description,
        });
        break;
      case "record":
        out.push({ name, kind: "record", required, description });
        break;
    }
  }
  return out;
}

/** Form values (strings, string lists, nested values) as the request the contract expects: empty means omitted. */
export interface FormValues {
  [name: string]: string | string[] | FormValues | undefined;
}

export function toRequest(type: string, specs: FieldSpec[], values: FormValues): Record<string, unknown> {
  const request: Record<string, unknown> = type ? { type } : {};
  for (const spec of specs) {
    const value = values[spec.name];
    if (value === undefined) continue;
    switch (spec.kind) {
      case "text":
      case "enum":
        if (typeof value === "string" && value.trim() !== "") request[spec.name] = value;
        break;
      case "number":
        if (typeof value === "string" && value.trim() !== "") request[spec.name] = Number(value);
        break;
      case "multi":
        if (Array.isArray(value) && value.length > 0) request[spec.name] = value;
        break;
      case "list":
        if (typeof value === "string") {
          const items = value.split(/[\s,]+/).filter(Boolean);
          if (items.length > 0) request[spec.name] = items;
        }
        break;
      case "object": {
        if (typeof value !== "object" || Array.isArray(value)) break;
        const nested = toRequest("", spec.fields, value);
        // An object whose required fields are all empty is left out (a voiceover without a script).
        const firstRequired = spec.fields.find((f) => f.required);
        if (firstRequired ? nested[firstRequired.name] !== undefined : Object.keys(nested).length > 0)
          request[spec.name] = nested;
        break;
      }
      case "record":
        if (typeof value === "string" && value.trim() !== "") {
          try {
            request[spec.name] = JSON.parse(value);
          } catch {
            // Left as text: the contract refuses it, and the form shows why.
            request[spec.name] = value;
          }
        }
        break;
    }
  }
  return request;
}
