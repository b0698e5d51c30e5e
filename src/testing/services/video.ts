// Placeholder: the Video service of the emulator (being filled in).
import { Video } from "../../gen/xai/api/v1/video_pb.js";
import { Code, type EmulatorContext, EmulatorError, register, type ServiceRegistration } from "../types.js";

const notYet = (method: string) =>
  new EmulatorError(Code.UNIMPLEMENTED, `Video.${method} is not implemented by the emulator yet.`);

/** The emulator's Video service. */
export function videoService(_ctx: EmulatorContext): ServiceRegistration {
  return register(Video, {
    generateVideo: () => {
      throw notYet("generateVideo");
    },
    extendVideo: () => {
      throw notYet("extendVideo");
    },
    getDeferredVideo: () => {
      throw notYet("getDeferredVideo");
    },
  });
}
