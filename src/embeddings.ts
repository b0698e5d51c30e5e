import type { Transport } from "./transport/transport.js";

/** Embedding vectors (Embedder service). Reached as `client.embeddings`. */
export class EmbeddingsClient {
  /** @internal */
  constructor(protected readonly transport: Transport) {}
}
