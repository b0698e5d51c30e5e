// Placeholder: the Files service of the emulator (being filled in).
import { Files } from "../../gen/xai/api/v1/files_pb.js";
import { Code, type EmulatorContext, EmulatorError, register, type ServiceRegistration } from "../types.js";

const notYet = (method: string) =>
  new EmulatorError(Code.UNIMPLEMENTED, `Files.${method} is not implemented by the emulator yet.`);

/** The emulator's Files service. */
export function filesService(_ctx: EmulatorContext): ServiceRegistration {
  return register(Files, {
    uploadFile: () => {
      throw notYet("uploadFile");
    },
    listFiles: () => {
      throw notYet("listFiles");
    },
    retrieveFile: () => {
      throw notYet("retrieveFile");
    },
    deleteFile: () => {
      throw notYet("deleteFile");
    },
    retrieveFileContent: async function* () {
      yield* [];
      throw notYet("retrieveFileContent");
    },
    createPublicUrl: () => {
      throw notYet("createPublicUrl");
    },
    revokePublicUrl: () => {
      throw notYet("revokePublicUrl");
    },
  });
}
