// The service descriptors of xAI's API, for `register()`: a test that replaces a service names it by its descriptor.
import { Auth } from "../gen/xai/api/v1/auth_pb.js";
import { BatchMgmt } from "../gen/xai/api/v1/batch_pb.js";
import { Chat } from "../gen/xai/api/v1/chat_pb.js";
import { Collections } from "../gen/xai/api/v1/collections_pb.js";
import { Documents } from "../gen/xai/api/v1/documents_pb.js";
import { Embedder } from "../gen/xai/api/v1/embed_pb.js";
import { Files } from "../gen/xai/api/v1/files_pb.js";
import { Image } from "../gen/xai/api/v1/image_pb.js";
import { Models } from "../gen/xai/api/v1/models_pb.js";
import { Sample } from "../gen/xai/api/v1/sample_pb.js";
import { Tokenize } from "../gen/xai/api/v1/tokenize_pb.js";
import { Video } from "../gen/xai/api/v1/video_pb.js";

/**
 * Every service of xAI's gRPC API, by its proto name (`Collections` is served on the management port), read on
 * first use. Pass one to {@link register} to serve your own implementation of it in the emulator.
 *
 * @example
 * ```ts
 * import { register, startEmulator, xaiServices } from "xai-grpc/testing";
 *
 * const emulator = await startEmulator({
 *   services: [() => register(xaiServices.Tokenize, { tokenizeText: (request) => ({ model: request.model, tokens: [] }) })],
 * });
 * ```
 */
export const xaiServices = {
  get Auth(): typeof Auth {
    return Auth;
  },
  get BatchMgmt(): typeof BatchMgmt {
    return BatchMgmt;
  },
  get Chat(): typeof Chat {
    return Chat;
  },
  get Collections(): typeof Collections {
    return Collections;
  },
  get Documents(): typeof Documents {
    return Documents;
  },
  get Embedder(): typeof Embedder {
    return Embedder;
  },
  get Files(): typeof Files {
    return Files;
  },
  get Image(): typeof Image {
    return Image;
  },
  get Models(): typeof Models {
    return Models;
  },
  get Sample(): typeof Sample {
    return Sample;
  },
  get Tokenize(): typeof Tokenize {
    return Tokenize;
  },
  get Video(): typeof Video {
    return Video;
  },
};
