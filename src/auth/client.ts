import { optionalDate } from "../core/dates.js";
import { ProtoWrapper } from "../core/wrapper.js";
import { type ApiKey, ApiKeySchema, Auth } from "../gen/xai/api/v1/auth_pb.js";
import type { CallOptions } from "../transport/options.js";
import type { Transport } from "../transport/transport.js";

/**
 * What the API knows about the key making the call. The key itself is only ever shown redacted.
 *
 * @example
 * ```ts
 * const info = await client.auth.apiKeyInfo();
 * if (info.blocked || info.disabled) throw new Error(`key ${info.redactedKey} cannot be used`);
 * ```
 */
export class ApiKeyInfo extends ProtoWrapper<typeof ApiKeySchema> {
  /** @internal */
  constructor(proto: ApiKey) {
    super(ApiKeySchema, proto);
  }
  /** The key with most characters masked, e.g. `xai-****abcd`. */
  get redactedKey(): string {
    return this.proto.redactedApiKey;
  }
  /** The key's id. */
  get id(): string {
    return this.proto.apiKeyId;
  }
  /** The name given to the key in the console. */
  get name(): string {
    return this.proto.name;
  }
  /** The team that owns the key. */
  get teamId(): string {
    return this.proto.teamId;
  }
  /** The user who created the key. */
  get userId(): string {
    return this.proto.userId;
  }
  /** Access-control entries, e.g. `api-key:model:*`. */
  get acls(): string[] {
    return this.proto.acls;
  }
  /** Whether xAI blocked this key. */
  get blocked(): boolean {
    return this.proto.apiKeyBlocked;
  }
  /** Whether the key's team is blocked. */
  get teamBlocked(): boolean {
    return this.proto.teamBlocked;
  }
  /** Whether the key was disabled by its owner. */
  get disabled(): boolean {
    return this.proto.disabled;
  }
  /** When the key was created. */
  get createdAt(): Date | undefined {
    return optionalDate(this.proto.createTime);
  }
  /** When the key was last modified. */
  get modifiedAt(): Date | undefined {
    return optionalDate(this.proto.modifyTime);
  }
}

/**
 * Information about the API key making the calls (Auth service). Reached as `client.auth`.
 *
 * @example
 * ```ts
 * const key = await client.auth.apiKeyInfo();
 * if (key.disabled) console.warn(`key ${key.redactedKey} is disabled`);
 * ```
 */
export class AuthClient {
  /** @internal */
  constructor(protected readonly transport: Transport) {}

  /**
   * Describes the key the client uses: redacted key, name, team, ACLs and whether it is blocked or disabled.
   *
   * @example
   * ```ts
   * console.log((await client.auth.apiKeyInfo()).acls);
   * ```
   */
  async apiKeyInfo(options?: CallOptions): Promise<ApiKeyInfo> {
    return new ApiKeyInfo(await this.transport.api.unary(Auth.method.get_api_key_info, {}, options));
  }
}
