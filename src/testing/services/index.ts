// Every service module of the emulator, in the order of the wire schema. The server calls each factory with
// the current EmulatorContext at start and again after every `reset()`.
import type { EmulatorContext, ServiceRegistration } from "../types.js";
import { authService } from "./auth.js";
import { batchService } from "./batch.js";
import { chatService } from "./chat.js";
import { collectionsService } from "./collections.js";
import { documentsService } from "./documents.js";
import { embedService } from "./embed.js";
import { filesService } from "./files.js";
import { imageService } from "./image.js";
import { modelsService } from "./models.js";
import { sampleService } from "./sample.js";
import { tokenizeService } from "./tokenize.js";
import { videoService } from "./video.js";

/**
 * Makes one service's registration from the shared context (called at start and after every reset).
 *
 * @example
 * ```ts
 * const silentAuth: ServiceFactory = () => register(Auth, { get_api_key_info: () => ({ name: "test key" }) });
 * ```
 */
export type ServiceFactory = (ctx: EmulatorContext) => ServiceRegistration;

/**
 * The twelve services the emulator serves (collections on the management port, the rest on the API port).
 *
 * @example
 * ```ts
 * const registrations = SERVICE_FACTORIES.map((factory) => factory(ctx));
 * ```
 */
export const SERVICE_FACTORIES: readonly ServiceFactory[] = [
  authService,
  batchService,
  chatService,
  collectionsService,
  documentsService,
  embedService,
  filesService,
  imageService,
  modelsService,
  sampleService,
  tokenizeService,
  videoService,
];

export {
  authService,
  batchService,
  chatService,
  collectionsService,
  documentsService,
  embedService,
  filesService,
  imageService,
  modelsService,
  sampleService,
  tokenizeService,
  videoService,
};
