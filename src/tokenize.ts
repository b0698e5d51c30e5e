import type { Transport } from "./transport/transport.js";

/** Tokenization (Tokenize service). Reached as `client.tokenize`. */
export class TokenizeClient {
  /** @internal */
  constructor(protected readonly transport: Transport) {}
}
