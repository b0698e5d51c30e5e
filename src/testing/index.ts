// xai-grpc/testing: a local emulator of the xAI gRPC API (and of its REST API) for tests, demos and CI.

export {
  type Cassette,
  type CassetteCall,
  type CassetteFile,
  type CassetteMatchOptions,
  type CassetteMessage,
  type CassetteOptions,
  type CassetteUpstream,
  cassetteServices,
  DEFAULT_IGNORE_BY_METHOD,
  type ReplayOptions,
  readCassette,
  withCassette,
} from "./cassette/index.js";
export { EMULATOR_CATALOG, lookupModel, type ModelLookup } from "./catalog.js";
export type { CallRecord, Faults, StreamCut } from "./controls.js";
export { xaiServices } from "./descriptors.js";
export {
  type Emulator,
  type EmulatorClientOptions,
  type EmulatorOptions,
  type EmulatorScript,
  startEmulator,
} from "./emulator.js";
export { DEFAULT_API_KEY, DEFAULT_MANAGEMENT_API_KEY } from "./keys.js";
export { REST_ROUTES, type RestRoute } from "./rest/router.js";
export type { ServiceFactory } from "./services/index.js";
export { countTokens } from "./tokenizer.js";
export {
  type CatalogModel,
  Code,
  type EmulatorContext,
  EmulatorError,
  type EmulatorToken,
  type HandlerContext,
  type MethodImpl,
  register,
  type ScriptedChatReply,
  type ServiceImpl,
  type ServiceRegistration,
} from "./types.js";
