import type { Transport } from "./transport/transport.js";

/** Video generation and extension (Video service). Reached as `client.video`. */
export class VideoClient {
  /** @internal */
  constructor(protected readonly transport: Transport) {}
}
