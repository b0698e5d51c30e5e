import type { Transport } from "../transport/transport.js";

/** Chat completions (Chat service). Reached as `client.chat`. */
export class ChatClient {
  /** @internal */
  constructor(protected readonly transport: Transport) {}
}
