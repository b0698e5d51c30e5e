// Placeholder: the Image service of the emulator (being filled in).
import { Image } from "../../gen/xai/api/v1/image_pb.js";
import { Code, type EmulatorContext, EmulatorError, register, type ServiceRegistration } from "../types.js";

const notYet = (method: string) =>
  new EmulatorError(Code.UNIMPLEMENTED, `Image.${method} is not implemented by the emulator yet.`);

/** The emulator's Image service. */
export function imageService(_ctx: EmulatorContext): ServiceRegistration {
  return register(Image, {
    generateImage: () => {
      throw notYet("generateImage");
    },
  });
}
