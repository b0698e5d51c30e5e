// The emulator's `xai_api.Sample` service: plain-prompt completion with the chat generator's rules
// (deterministic, sampling ranges, stop and max_tokens, n choices).
import { Sample } from "../../gen/xai/api/v1/sample_pb.js";
import { planSample, sampleChunks } from "../chat/sample-text.js";
import { type EmulatorContext, register, type ServiceRegistration } from "../types.js";

/**
 * The emulator's `xai_api.Sample` service.
 *
 * @example
 * ```ts
 * const registration = sampleService(ctx); // served by the emulator's server
 * ```
 */
export function sampleService(ctx: EmulatorContext): ServiceRegistration {
  return register(Sample, {
    sampleText(request) {
      const plan = planSample(ctx, request);
      return { ...plan.header, choices: plan.choices, usage: plan.usage };
    },
    async *sampleTextStreaming(request, call) {
      const plan = planSample(ctx, request);
      for (const part of sampleChunks(ctx, plan)) {
        if (call.signal.aborted) return;
        yield part;
      }
    },
  });
}
