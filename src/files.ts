import type { Transport } from "./transport/transport.js";

/** File storage (Files service). Reached as `client.files`. */
export class FilesClient {
  /** @internal */
  constructor(protected readonly transport: Transport) {}
}
