import type { Transport } from "./transport/transport.js";

/** Batch jobs (BatchMgmt service). Reached as `client.batch`. */
export class BatchClient {
  /** @internal */
  constructor(protected readonly transport: Transport) {}
}
