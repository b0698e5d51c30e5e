// Placeholder: the Collections service of the emulator (being filled in).
import { Collections } from "../../gen/xai/api/v1/collections_pb.js";
import { Code, type EmulatorContext, EmulatorError, register, type ServiceRegistration } from "../types.js";

const notYet = (method: string) =>
  new EmulatorError(Code.UNIMPLEMENTED, `Collections.${method} is not implemented by the emulator yet.`);

/** The emulator's Collections service. */
export function collectionsService(_ctx: EmulatorContext): ServiceRegistration {
  return register(
    Collections,
    {
      createCollection: () => {
        throw notYet("createCollection");
      },
      listCollections: () => {
        throw notYet("listCollections");
      },
      deleteCollection: () => {
        throw notYet("deleteCollection");
      },
      getCollectionMetadata: () => {
        throw notYet("getCollectionMetadata");
      },
      updateDocument: () => {
        throw notYet("updateDocument");
      },
      listDocuments: () => {
        throw notYet("listDocuments");
      },
      getDocumentMetadata: () => {
        throw notYet("getDocumentMetadata");
      },
      addDocumentToCollection: () => {
        throw notYet("addDocumentToCollection");
      },
      removeDocumentFromCollection: () => {
        throw notYet("removeDocumentFromCollection");
      },
      reIndexDocument: () => {
        throw notYet("reIndexDocument");
      },
      updateCollection: () => {
        throw notYet("updateCollection");
      },
      batchGetDocuments: () => {
        throw notYet("batchGetDocuments");
      },
      generateCollectionDescription: () => {
        throw notYet("generateCollectionDescription");
      },
    },
    true,
  );
}
