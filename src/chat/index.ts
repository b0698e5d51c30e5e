export { type AppendItem, Chat, type DeferredProgress } from "./chat.js";
export { ChatClient } from "./client.js";
export { DeferredCompletionError, StructuredOutputError, ToolRoundsExceededError } from "./errors.js";
export {
  assistant,
  type ContentInput,
  developer,
  type FileSource,
  file,
  type ImageOptions,
  type ImageSource,
  image,
  system,
  text,
  toolResult,
  user,
} from "./messages.js";
export type { ChatCreateOptions, ResponseFormatOption, ToolChoiceOption } from "./options.js";
export { parsePartialJson } from "./partial-json.js";
export {
  Chunk,
  CompactionResult,
  ImageGenerationOutput,
  type InlineCitation,
  Response,
  ToolCallInfo,
  type ToolOutput,
} from "./response.js";
export type {
  RunToolsOptions,
  ToolCallContext,
  ToolCallOutcome,
  ToolHandler,
  ToolRound,
  ToolRunResult,
} from "./run-tools.js";
export type { InferSchema, JsonSchema, SchemaIssue, SchemaLike } from "./schema.js";
export {
  type NewsSourceOptions,
  newsSource,
  rssSource,
  type SearchModeName,
  type SearchParametersOptions,
  searchParameters,
  type WebSourceOptions,
  webSource,
  type XSourceOptions,
  xSource,
} from "./search.js";
export { BatchChatStream, ChatStream, ParsedChatStream, partialResponseOf } from "./stream.js";
export {
  attachmentSearch,
  type CollectionsSearchOptions,
  codeExecution,
  collectionsSearch,
  type ImageGenerationAction,
  imageGeneration,
  type McpOptions,
  mcp,
  type RetrievalMode,
  requiredTool,
  tool,
  type UserLocation,
  type WebSearchOptions,
  webSearch,
  type XSearchOptions,
  xSearch,
} from "./tools.js";
export {
  type AgentCountValue,
  type ChatModel,
  type FinishReasonName,
  type ImageDetailName,
  INCLUDE_OPTIONS,
  type IncludeOptionName,
  REASONING_EFFORTS,
  type ReasoningEffortName,
  type Role,
  type ServerSideToolName,
  type ServiceTierName,
  type ToolCallStatusName,
  type ToolCallTypeName,
} from "./types.js";
