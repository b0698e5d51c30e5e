// The Sample service's generator: a deterministic continuation of a plain prompt, one per choice.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { type Timestamp, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type {
  FinishReason,
  SampleTextRequest,
  SampleTextResponseSchema,
} from "../../gen/xai/api/v1/sample_pb.js";
import { Code, type EmulatorContext, EmulatorError } from "../types.js";
import { checkSampling, languageModel } from "./options.js";
import { hash, hexId, Rng, uuidFrom } from "./random.js";
import { continuationText } from "./text.js";
import { pieces, textUsage, truncateOutput } from "./tokens.js";

/** A Sample response (protobuf init shape). */
export type SampleResponseInit = MessageInitShape<typeof SampleTextResponseSchema>;

/** A planned Sample completion: one text per choice. */
export interface SamplePlan {
  header: { id: string; created: Timestamp; model: string; systemFingerprint: string };
  choices: { index: number; text: string; finishReason: FinishReason }[];
  usage: SampleResponseInit["usage"];
}

/**
 * Validates a SampleText request and generates its choices.
 *
 * @example
 * ```ts
 * planSample(ctx, request).choices[0].text; // " and so the text continues with …"
 * ```
 */
export function planSample(ctx: EmulatorContext, request: SampleTextRequest): SamplePlan {
  const model = languageModel(ctx, request.model);
  checkSampling(request);
  const prompt = request.prompt.join("\n");
  if (!prompt.trim()) {
    throw new EmulatorError(
      Code.INVALID_ARGUMENT,
      "prompt is empty: send at least one non-empty prompt string.",
    );
  }
  const n = request.n ?? 1;
  const rng = new Rng(
    hash(model.name, request.seed ?? 0, request.temperature ?? 1, request.topP ?? 1, prompt),
  );
  const choices = Array.from({ length: n }, (_, index) => {
    let text = continuationText(prompt, rng.fork(index));
    if (index > 0) text = `${text} (${index + 1})`;
    const truncated = truncateOutput(ctx, text, request.stop, request.maxTokens);
    return { index, text: truncated.content, finishReason: truncated.finishReason };
  });
  const promptTokens = ctx.countTokens(prompt);
  const completionTokens = choices.reduce((sum, c) => sum + ctx.countTokens(c.text), 0);
  return {
    header: {
      id: uuidFrom("sample", ctx.newId("sample")),
      created: timestampFromDate(ctx.now()),
      model: model.name,
      systemFingerprint: model.systemFingerprint ?? `fp_${hexId(10, model.name, model.version)}`,
    },
    choices,
    usage: textUsage(model, promptTokens, completionTokens),
  };
}

/**
 * The stream of a Sample plan: a response per token piece and choice, the last one with usage.
 *
 * @example
 * ```ts
 * for (const part of sampleChunks(ctx, plan)) yield part;
 * ```
 */
export function* sampleChunks(ctx: EmulatorContext, plan: SamplePlan): Generator<SampleResponseInit> {
  const lanes = plan.choices.map((choice) => {
    const parts = pieces(ctx, choice.text).map(
      (p) => ({ index: choice.index, text: p.text }) as SampleChoiceInit,
    );
    if (parts.length === 0) parts.push({ index: choice.index, text: "" });
    parts[parts.length - 1].finishReason = choice.finishReason;
    return parts;
  });
  const total = lanes.reduce((sum, lane) => sum + lane.length, 0);
  let emitted = 0;
  for (let step = 0; emitted < total; step++) {
    for (const lane of lanes) {
      if (step >= lane.length) continue;
      emitted++;
      yield { ...plan.header, choices: [lane[step]], usage: emitted === total ? plan.usage : undefined };
    }
  }
}

type SampleChoiceInit = { index: number; text: string; finishReason?: FinishReason };
