import {
  AppError,
  findModel,
  type ImageJobInput,
  imageCost,
  type MediaType,
  MODEL_CATALOG,
  type ModelDefinition,
} from "@mcpmediaengine/contract";
import type { Generator } from "@mcpmediaengine/media";

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
function costOf(definition: ModelDefinition | undefined, input: ImageJobInput): number {
  return definition ? imageCost(definition, input.width, input.height) : 1;
}

/**
 * Maps model ids to the generators that can run them in this process. A catalog model with no generator is
 * listed as unavailable with a reason, and a job for it is refused at submission, never failed later.
 */
export class ModelRegistry {
  private readonly generators = new Map<string, Generator>();

  constructor(generators: Generator[]) {
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

  cost(model: string, input: ImageJobInput): number {
    return costOf(findModel(model), input);
  }

  private availability(id: string, type: MediaType): ModelAvailability {
    if (this.generators.has(id)) return { id, type, available: true };
    const provider = findModel(id)?.provider;
    return {
      id,
      type,
      available: false,
      reason: `its provider (${provider}) is not configured on this server.`,
    };
  }
}
