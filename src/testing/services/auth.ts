// The emulator's Auth service: describes the key that made the call, redacted.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Auth } from "../../gen/xai/api/v1/auth_pb.js";
import { bearerKey, redactKey } from "../keys.js";
import { fnv1a } from "../tokenizer.js";
import { type EmulatorContext, register, type ServiceRegistration } from "../types.js";

const KEY_CREATED = new Date("2025-01-15T09:30:00Z");
const KEY_MODIFIED = new Date("2025-06-01T12:00:00Z");

const hex = (value: number): string => value.toString(16).padStart(8, "0");

/** A stable UUID-shaped id derived from a text (never reversible to it). */
function stableUuid(text: string): string {
  const a = hex(fnv1a(text, 0x811c9dc5));
  const b = hex(fnv1a(text, 0x01000193));
  const c = hex(fnv1a(text, 0x5bd1e995));
  const d = hex(fnv1a(text, 0x27d4eb2f));
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-8${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/**
 * The emulator's `xai_api.Auth` service: `get_api_key_info` answers with the presented key redacted
 * (`xai-****abcd`), a name, ids derived from the key, the emulator team, ACLs and flags.
 *
 * @example
 * ```ts
 * const registration = authService(ctx);
 * ```
 */
export function authService(_ctx: EmulatorContext): ServiceRegistration {
  return register(Auth, {
    get_api_key_info: (_request, call) => {
      // The server has already authenticated the call, so the header holds the emulator's key.
      const key = bearerKey(call.headers.authorization) ?? "";
      return {
        redactedApiKey: redactKey(key),
        apiKeyId: stableUuid(`key:${key}`),
        userId: stableUuid("user:emulator"),
        name: "Emulator key",
        teamId: stableUuid("team:emulator"),
        acls: ["api-key:endpoint:*", "api-key:model:*"],
        createTime: timestampFromDate(KEY_CREATED),
        modifyTime: timestampFromDate(KEY_MODIFIED),
        modifiedBy: stableUuid("user:emulator"),
        apiKeyBlocked: false,
        teamBlocked: false,
        disabled: false,
      };
    },
  });
}
