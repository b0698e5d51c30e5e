// xai-grpc/testing: a local emulator of the xAI gRPC API for tests, demos and CI.
export { EMULATOR_CATALOG, lookupModel, type ModelLookup } from "./catalog.js";
export { type CallRecord, type Faults, MAX_LOGGED_STREAM_BYTES, type StreamCut } from "./controls.js";
export {
  type Emulator,
  type EmulatorClientOptions,
  type EmulatorOptions,
  type EmulatorScript,
  startEmulator,
} from "./emulator.js";
export { DEFAULT_API_KEY, DEFAULT_MANAGEMENT_API_KEY, redactKey } from "./keys.js";
export type { ServiceFactory } from "./services/index.js";
export { countTokens, tokenize } from "./tokenizer.js";
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
