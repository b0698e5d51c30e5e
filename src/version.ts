/**
 * The version of xai-grpc, equal to the `version` in its package.json (a test keeps them in step).
 *
 * @example
 * ```ts
 * import { VERSION } from "xai-grpc";
 * console.log(`xai-grpc ${VERSION}`);
 * ```
 */
export const VERSION = "0.1.0";
