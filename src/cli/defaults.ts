// Defaults of the CLI's options, in one place.

/** The API host without `--host`. */
export const DEFAULT_HOST = "api.x.ai";

/** The model `xai chat` and `xai tokenize` use without `--model`. */
export const DEFAULT_CHAT_MODEL = "grok-4";

/** The model `xai image` uses without `--model`. */
export const DEFAULT_IMAGE_MODEL = "grok-imagine-image";
