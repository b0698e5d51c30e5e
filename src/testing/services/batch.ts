// Placeholder: the BatchMgmt service of the emulator (being filled in).
import { BatchMgmt } from "../../gen/xai/api/v1/batch_pb.js";
import { Code, type EmulatorContext, EmulatorError, register, type ServiceRegistration } from "../types.js";

const notYet = (method: string) =>
  new EmulatorError(Code.UNIMPLEMENTED, `BatchMgmt.${method} is not implemented by the emulator yet.`);

/** The emulator's BatchMgmt service. */
export function batchService(_ctx: EmulatorContext): ServiceRegistration {
  return register(BatchMgmt, {
    createBatch: () => {
      throw notYet("createBatch");
    },
    getBatch: () => {
      throw notYet("getBatch");
    },
    listBatches: () => {
      throw notYet("listBatches");
    },
    cancelBatch: () => {
      throw notYet("cancelBatch");
    },
    addBatchRequests: () => {
      throw notYet("addBatchRequests");
    },
    listBatchRequestMetadata: () => {
      throw notYet("listBatchRequestMetadata");
    },
    listBatchResults: () => {
      throw notYet("listBatchResults");
    },
    getBatchRequestResult: () => {
      throw notYet("getBatchRequestResult");
    },
  });
}
