// The Bubble connector. With a model (model/types.ts; the worked example is model/invoicing.ts,
// chosen with BUBBLE_MODEL=invoicing) every modelled type is a stream into its typed table
// (bubble.<type>), the streams ordered by the dependency levels derived from the model's links,
// a job of the root stream alone (invoice) runs as the integrity sync (integrity/run.ts), and
// every job ends with the auto-patch. Configured types outside the model (BUBBLE_TYPES) stay
// generic: rows of bubble.records as (type, id, created_at, modified_at, raw).
import type { Connector, StreamDef } from "../../engine/connector/mod.ts";
import { BUBBLE_BASE_URL, bubbleHeaders } from "./config.ts";
import { integrityJob, patchAfterJob } from "./integrity/run.ts";
import { invoicingModel } from "./model/invoicing.ts";
import { dependencyLevels } from "./model/levels.ts";
import type { BubbleModel } from "./model/types.ts";
import { apiTypeName } from "./paging.ts";
import { bubbleStreams, typedStream } from "./streams.ts";

/** Types of bubbleDefault when BUBBLE_TYPES is unset or unreadable. */
export const DEFAULT_BUBBLE_TYPES = ["user"];

/** Models by the name BUBBLE_MODEL selects. */
export const BUBBLE_MODELS: Record<string, BubbleModel> = { invoicing: invoicingModel };

export interface BubbleConnectorOptions {
  /** The app's types described as data: typed tables, levels, integrity sync, auto-patch. */
  model?: BubbleModel;
}

/** The streams of a model's types, level by level (level 0 first, names sorted within a level). */
export function modelStreams(model: BubbleModel): StreamDef[] {
  const plan = dependencyLevels(model);
  const byName = new Map(model.types.map((t) => [t.name, t]));
  return plan.byLevel.flat().map((name) =>
    typedStream(model.schema, byName.get(name)!, plan.parents[name]) as StreamDef
  );
}

const models = new WeakMap<Connector, BubbleModel>();

/** The model a Bubble connector was built with (undefined: none, or not a Bubble connector). */
export function bubbleModelOf(connector: Connector | undefined): BubbleModel | undefined {
  return connector ? models.get(connector) : undefined;
}

export function bubbleConnector(types: string[], opts: BubbleConnectorOptions = {}): Connector {
  const model = opts.model;
  const modelled = new Set(model?.types.map((t) => t.apiType) ?? []);
  const generic = types.filter((t) => !modelled.has(apiTypeName(t)));
  const streams = [
    ...(model ? modelStreams(model) : []),
    ...(generic.length || !model ? bubbleStreams(generic) : []),
  ];
  const names = new Set<string>();
  for (const s of streams) {
    if (names.has(s.name)) throw new RangeError(`Bubble type list and model both name stream "${s.name}"`);
    names.add(s.name);
  }
  const connector: Connector = {
    name: "bubble",
    baseUrl: BUBBLE_BASE_URL,
    streams,
    pageSize: 100,
    headers: bubbleHeaders,
    rateLimit: { requests: 1_000, windowMs: 60_000 },
    // a Data API token (Settings > API); a type the Data API does not expose answers 404
    operator: {
      vendor: "Bubble",
      credential: "API token",
      credentialKeys: ["apiToken"],
      renew: "generate a new API token in the Bubble app (Settings > API)",
      forbidden: "check the types' privacy rules and that the token is an admin API token (Settings > API)",
      notFound: "enable the Data API for this type in the Bubble app (Settings > API > Enable Data API) " +
        "and check BUBBLE_APP_URL (live or version-test)",
    },
    ...(model ? { runJob: integrityJob(model), afterJob: patchAfterJob } : {}),
  };
  if (model) models.set(connector, model);
  return connector;
}

/** Types from the `types` setting (BUBBLE_TYPES, comma-separated); the default without it. */
export function bubbleTypesFrom(value: unknown): string[] {
  const types = (typeof value === "string" ? value : "").split(",").map((s) => s.trim()).filter(Boolean);
  return types.length ? types : [...DEFAULT_BUBBLE_TYPES];
}

/** The model the `model` setting (BUBBLE_MODEL) names (none when unset); an unknown name is refused. */
export function bubbleModelFrom(value: unknown): BubbleModel | undefined {
  const name = (typeof value === "string" ? value : "").trim();
  if (!name || name === "none") return undefined;
  const model = BUBBLE_MODELS[name];
  if (!model) {
    throw new RangeError(
      `Unknown BUBBLE_MODEL "${name}" (known: ${Object.keys(BUBBLE_MODELS).join(", ")}, none)`,
    );
  }
  return model;
}

/**
 * The registered Bubble connector for its settings (config.ts: BUBBLE_TYPES -> types, BUBBLE_MODEL
 * -> model). Settings that make no valid connector are reported and fall back to the default types
 * without a model, so a Bubble setting can never take the other connectors down with it.
 */
export function bubbleFromSettings(
  settings: Record<string, unknown> = {},
  log: (line: string) => void = console.error,
): Connector {
  try {
    return bubbleConnector(bubbleTypesFrom(settings.types), { model: bubbleModelFrom(settings.model) });
  } catch (err) {
    log(
      `BUBBLE_TYPES/BUBBLE_MODEL ignored: ${(err as Error).message}; using ${DEFAULT_BUBBLE_TYPES.join(",")}`,
    );
    return bubbleConnector([...DEFAULT_BUBBLE_TYPES]);
  }
}

export { type BubbleConfig, parseBubbleConfig } from "./config.ts";
export { apiTypeName, streamName } from "./paging.ts";
