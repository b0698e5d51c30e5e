// Defaults of the CLI's options, in one place.

/**
 * The API host without `--host`.
 *
 * @example
 * ```ts
 * new Client({ apiHost: globals.host ?? DEFAULT_HOST });
 * ```
 */
export const DEFAULT_HOST = "api.x.ai";

/**
 * The model `xai chat` and `xai tokenize` use without `--model`.
 *
 * @example
 * ```ts
 * command.option("-m, --model <name>", "the model", DEFAULT_CHAT_MODEL);
 * ```
 */
export const DEFAULT_CHAT_MODEL = "grok-4";

/**
 * The model `xai image` uses without `--model`.
 *
 * @example
 * ```ts
 * command.option("-m, --model <name>", "the image model", DEFAULT_IMAGE_MODEL);
 * ```
 */
export const DEFAULT_IMAGE_MODEL = "grok-imagine-image";
