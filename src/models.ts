import type { Transport } from "./transport/transport.js";

/** The model catalogue (Models service). Reached as `client.models`. */
export class ModelsClient {
  /** @internal */
  constructor(protected readonly transport: Transport) {}
}
