import type { FilesClient } from "./files.js";
import type { Transport } from "./transport/transport.js";

/** Collections of documents for retrieval (Collections service, management host). Reached as `client.collections`. */
export class CollectionsClient {
  /** @internal */
  constructor(
    protected readonly transport: Transport,
    protected readonly files: FilesClient,
  ) {}
}
