// The emulator's `xai_api.Documents` service (API port): Search ranks the chunks of the processed documents
// of the given collections against the query (../store/collections.ts, ../store/chunking.ts). Retrieval
// modes: keyword = BM25 on words; semantic = cosine of character-trigram vectors; hybrid (the default) =
// their average, or weighted by reciprocal_rank_fusion's text_weight and embedding_weight when given.
// Only chunks with a positive score are returned, at most `limit` (default 10, at most 100).
import { Documents } from "../../gen/xai/api/v1/documents_pb.js";
import type { RetrievalMode } from "../store/chunking.js";
import { searchCollections } from "../store/collections.js";
import { Code, type EmulatorContext, EmulatorError, register, type ServiceRegistration } from "../types.js";

export { type SearchHit, type SearchQuery, searchCollections } from "../store/collections.js";

/** Most matches one search returns. */
export const MAX_SEARCH_LIMIT = 100;

/**
 * The emulator's Documents service.
 *
 * @example
 * ```ts
 * const registration = documentsService(ctx);
 * ```
 */
export function documentsService(ctx: EmulatorContext): ServiceRegistration {
  return register(Documents, {
    search(request) {
      if (!request.query.trim())
        throw new EmulatorError(Code.INVALID_ARGUMENT, "The query is empty: say what to search for.");
      const collectionIds = request.source?.collectionIds ?? [];
      if (collectionIds.length === 0) {
        throw new EmulatorError(
          Code.INVALID_ARGUMENT,
          "source.collection_ids is empty: name at least one collection to search.",
        );
      }
      const limit = request.limit ?? 10;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
        throw new EmulatorError(
          Code.INVALID_ARGUMENT,
          `limit must be between 1 and ${MAX_SEARCH_LIMIT}; got ${limit}.`,
        );
      }
      const retrieval = request.retrievalMode;
      const mode: RetrievalMode =
        retrieval.case === "keywordRetrieval"
          ? "keyword"
          : retrieval.case === "semanticRetrieval"
            ? "semantic"
            : "hybrid";
      let weights: { keyword: number; semantic: number } | undefined;
      if (retrieval.case === "hybridRetrieval" && retrieval.value.reranker.case === "reciprocalRankFusion") {
        const fusion = retrieval.value.reranker.value;
        if (fusion.textWeight < 0 || fusion.embeddingWeight < 0) {
          throw new EmulatorError(
            Code.INVALID_ARGUMENT,
            "Reciprocal rank fusion weights cannot be negative.",
          );
        }
        if (fusion.textWeight + fusion.embeddingWeight > 0) {
          weights = { keyword: fusion.textWeight, semantic: fusion.embeddingWeight };
        }
      }
      const hits = searchCollections(ctx, { query: request.query, collectionIds, limit, mode, weights });
      return { matches: hits };
    },
  });
}
