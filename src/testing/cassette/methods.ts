// Every method of xAI's API by its path, from the generated descriptors: what the recorder forwards and the
// replayer answers. Collections is the one service served on the management host.
import type { DescMessage, DescMethod, DescService } from "@bufbuild/protobuf";
import { xaiServices } from "../descriptors.js";

/** One method of the API. */
export interface ApiMethod {
  /** `/xai_api.Chat/GetCompletion` */
  readonly path: string;
  readonly service: DescService;
  readonly method: DescMethod;
  readonly input: DescMessage;
  readonly output: DescMessage;
  /** Served on the management host (collections). */
  readonly management: boolean;
}

let index: Map<string, ApiMethod> | undefined;

/** The services of the API, in the order of `xaiServices`. */
export function apiServices(): DescService[] {
  return Object.values(xaiServices) as DescService[];
}

/** Whether a service lives on the management host. */
export function isManagementService(service: DescService): boolean {
  return service.typeName === xaiServices.Collections.typeName;
}

/**
 * Every method of the API by path, built on first use.
 *
 * @example
 * ```ts
 * apiMethods().get("/xai_api.Chat/GetCompletion")?.method.methodKind; // "unary"
 * ```
 */
export function apiMethods(): ReadonlyMap<string, ApiMethod> {
  if (index) return index;
  index = new Map();
  for (const service of apiServices()) {
    for (const method of service.methods) {
      const path = `/${service.typeName}/${method.name}`;
      index.set(path, {
        path,
        service,
        method,
        input: method.input as DescMessage,
        output: method.output as DescMessage,
        management: isManagementService(service),
      });
    }
  }
  return index;
}
