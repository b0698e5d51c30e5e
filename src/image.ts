import type { Transport } from "./transport/transport.js";

/** Image generation and editing (Image service). Reached as `client.image`. */
export class ImageClient {
  /** @internal */
  constructor(protected readonly transport: Transport) {}
}
