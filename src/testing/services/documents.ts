// Placeholder: the Documents service of the emulator (being filled in).
import { Documents } from "../../gen/xai/api/v1/documents_pb.js";
import { Code, type EmulatorContext, EmulatorError, register, type ServiceRegistration } from "../types.js";

const notYet = (method: string) =>
  new EmulatorError(Code.UNIMPLEMENTED, `Documents.${method} is not implemented by the emulator yet.`);

/** The emulator's Documents service. */
export function documentsService(_ctx: EmulatorContext): ServiceRegistration {
  return register(Documents, {
    search: () => {
      throw notYet("search");
    },
  });
}
