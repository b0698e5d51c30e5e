export type { AppendItem, Chat } from "./chat.js";
export type { ChatClient } from "./client.js";
export type { DeferredProgress } from "./deferred.js";
export type {
  BuiltMessage,
  ContentInput,
  FileSource,
  ImageOptions,
  ImageSource,
  MessageInput,
  PlainAssistantMessage,
  PlainContent,
  PlainMessage,
  PlainTextMessage,
  PlainToolCall,
  PlainToolMessage,
} from "./messages.js";
export { assistant, developer, file, image, system, text, toolResult, user } from "./messages.js";
export type { ChatCreateOptions, ResponseFormatOption, ToolChoiceOption } from "./options.js";
export type {
  ChatChunk,
  ChatResponse,
  CompactionResult,
  ImageGenerationOutput,
  InlineCitation,
  ToolCallInfo,
  ToolOutput,
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
export type {
  NewsSourceOptions,
  SearchModeName,
  SearchParametersOptions,
  WebSourceOptions,
  XSourceOptions,
} from "./search.js";
export { newsSource, rssSource, searchParameters, webSource, xSource } from "./search.js";
export type { BatchChatStream, ChatStream, DeepPartial, ParsedChatStream } from "./stream.js";
export { partialResponseOf } from "./stream.js";
export type {
  CollectionsSearchOptions,
  ImageGenerationAction,
  McpOptions,
  RetrievalMode,
  UserLocation,
  WebSearchOptions,
  XSearchOptions,
} from "./tools.js";
export {
  attachmentSearch,
  codeExecution,
  collectionsSearch,
  imageGeneration,
  mcp,
  requiredTool,
  tool,
  webSearch,
  xSearch,
} from "./tools.js";
export type {
  AgentCountValue,
  ChatModel,
  FinishReasonName,
  ImageDetailName,
  IncludeOptionName,
  ReasoningEffortName,
  Role,
  ServerSideToolName,
  ServiceTierName,
  ToolCallStatusName,
  ToolCallTypeName,
  Usage,
} from "./types.js";
export { INCLUDE_OPTIONS, REASONING_EFFORTS } from "./types.js";
