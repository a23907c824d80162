import {
  AppError,
  findModel,
  type JobRequest,
  jobCost,
  LOCAL_VOICES,
  type MediaType,
  MODEL_CATALOG,
  type ModelDefinition,
  type TypedJobInput,
} from "@mcpmediaengine/contract";
import type { Generator } from "@mcpmediaengine/media";
import { checkRequestInputs } from "./input-capabilities";

export interface ModelAvailability {
  id: string;
  type: MediaType;
  available: boolean;
  /** Why the model cannot run here, when it cannot. */
  reason?: string;
}

/**
 * What each model costs for an input. Models outside the catalog (the dev models of benchmarks and tests) cost
 * one credit a job, so they take the same billing path as every other job.
 */
function costOf(definition: ModelDefinition | undefined, job: TypedJobInput): number {
  return definition ? jobCost(definition, job) : 1;
}

/**
 * Maps model ids to the generators that can run them in this process. A catalog model with no generator is
 * listed as unavailable with a reason, and a job for it is refused at submission, never failed later.
 */
export interface RegistryOptions {
  /** Models to try, in order, when a model's provider stays down (an operator's choice, e.g. flux-2-turbo → stable-diffusion). */
  fallbacks?: Record<string, readonly string[]>;
  /** Why a catalog model has no generator here, such as the setting its provider needs. */
  unavailableReasons?: Record<string, string>;
}

export class ModelRegistry {
  private readonly generators = new Map<string, Generator>();

  constructor(
    generators: Generator[],
    private readonly options: RegistryOptions = {},
  ) {
    for (const generator of generators) this.generators.set(generator.model, generator);
  }

  /** Every catalog model with whether it runs here, then the extra (dev) models this process has. */
  list(): ModelAvailability[] {
    const catalog = MODEL_CATALOG.map((m) => this.availability(m.id, m.type));
    const extra = [...this.generators.values()]
      .filter((g) => !findModel(g.model))
      .map((g) => ({ id: g.model, type: g.type, available: true }));
    return [...catalog, ...extra];
  }

  /** The generator for a job, or `model_unavailable` (422) naming the models that can run. */
  require(model: string, type: MediaType): Generator {
    const generator = this.generators.get(model);
    if (generator && generator.type === type) return generator;
    throw this.refusal(model, type);
  }

  /** Why a job for this model cannot be accepted here, with the models of its type that can run. */
  refusal(model: string, type: MediaType): AppError {
    const definition = findModel(model);
    const available = this.list()
      .filter((m) => m.available && m.type === type)
      .map((m) => m.id);
    const why = !definition
      ? `Unknown model "${model}".`
      : definition.type !== type
        ? `Model "${model}" makes ${definition.type}, not ${type}.`
        : `Model "${model}" is not available here: ${this.availability(model, type).reason}`;
    return new AppError(
      "model_unavailable",
      `${why} Available ${type} models: ${available.join(", ") || "none"}.`,
      {
        model,
        available,
      },
    );
  }

  /** The generator a worker runs a job with; undefined when the model has gone since the job was accepted. */
  find(model: string): Generator | undefined {
    return this.generators.get(model);
  }

  /** The model's fallbacks that run here and make the same media type, in the operator's order. */
  fallbacks(model: string): Generator[] {
    const type = this.generators.get(model)?.type ?? findModel(model)?.type;
    return (this.options.fallbacks?.[model] ?? [])
      .map((id) => this.generators.get(id))
      .filter((g): g is Generator => g !== undefined && g.type === type);
  }

  cost(model: string, job: TypedJobInput): number {
    return costOf(findModel(model), job);
  }

  /**
   * What the model cannot do with an input that the schema allows: a voice it does not have, a speed or a
   * clip length its provider does not take. 422
   * `unsupported_input` naming the voices it has.
   */
  checkInput(model: string, job: TypedJobInput): void {
    const limits = findModel(model)?.limits;
    const refuse = (message: string, details?: unknown) => {
      throw new AppError("unsupported_input", `${model}: ${message}`, details);
    };
    if (
      job.type === "video" &&
      limits?.maxDurationSeconds &&
      job.input.durationSeconds > limits.maxDurationSeconds
    )
      refuse(`clips last at most ${limits.maxDurationSeconds} s.`, {
        maxDurationSeconds: limits.maxDurationSeconds,
      });
    if (job.type === "video" && limits?.voiceover === false && job.input.voiceover)
      refuse("no voiceover; use local-motion for a narrated clip.");
    if (job.type === "audio" && limits?.pitch === false && job.input.pitch !== 1)
      refuse("pitch cannot be changed; leave it at 1.");
    const speed = limits?.speed;
    if (job.type === "audio" && speed && (job.input.speed < speed.min || job.input.speed > speed.max))
      refuse(`speed must be between ${speed.min} and ${speed.max}.`, { speed: job.input.speed, ...speed });
    const voice =
      job.type === "audio" ? job.input.voice : job.type === "video" ? job.input.voiceover?.voice : undefined;
    if (voice === undefined) return;
    // A clip's narration is spoken by the offline voice, whatever model draws its pictures.
    const voices = job.type === "video" ? LOCAL_VOICES : findModel(model)?.voices;
    if (voices && !voices.includes(voice))
      throw new AppError(
        "unsupported_input",
        `Voice "${voice}" is not one of ${job.type === "video" ? "the narration" : `${model}'s`} voices: ${voices.join(", ")}.`,
        { voice, voices },
      );
  }

  /** What the request asks beyond a prompt that the model cannot do (input images, mask, n, …): 422. */
  checkRequest(model: string, request: JobRequest): void {
    checkRequestInputs(model, request);
  }

  private availability(id: string, type: MediaType): ModelAvailability {
    if (this.generators.has(id)) return { id, type, available: true };
    const provider = findModel(id)?.provider;
    return {
      id,
      type,
      available: false,
      reason:
        this.options.unavailableReasons?.[id] ??
        `its provider (${provider}) is not configured on this server.`,
    };
  }
}
