import { Sample } from "../../gen/xai/api/v1/sample_pb.js";
import { Code, type EmulatorContext, EmulatorError, register, type ServiceRegistration } from "../types.js";

const notYet = (): never => {
  throw new EmulatorError(Code.UNIMPLEMENTED, "The emulator's sample service is being built.");
};

/** The emulator's `xai_api.Sample` service. */
export function sampleService(_ctx: EmulatorContext): ServiceRegistration {
  return register(Sample, {
    sampleText: notYet,
    // biome-ignore lint/correctness/useYield: placeholder until the generator lands
    async *sampleTextStreaming() {
      notYet();
    },
  });
}
