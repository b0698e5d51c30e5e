// The GenAI attributes of image generation calls (`generate_image`, as the Python SDK names the operation).

import { usageAttributes } from "../chat/telemetry.js";
import type { GenerateImageRequest, ImageResponse } from "../gen/xai/api/v1/image_pb.js";
import { genAiRequest, jsonAttribute, type MethodDescriber, singleResponse } from "../telemetry/describe.js";

/** `GenerateImage`: prompt (recorded only with content capture), count, and the model and usage answered. */
const generateImage: MethodDescriber = {
  operation: "generate_image",
  request: (request, content) => {
    const r = request as GenerateImageRequest;
    return genAiRequest("generate_image", r.model, {
      "gen_ai.output.type": "image",
      "gen_ai.request.choice.count": r.n,
      "gen_ai.input.messages": content
        ? jsonAttribute([{ role: "user", parts: [{ type: "text", content: r.prompt }] }])
        : undefined,
    });
  },
  response: singleResponse((response: ImageResponse) => ({
    "gen_ai.response.model": response.model || undefined,
    "xai.response.image.count": response.images.length,
    ...usageAttributes(response.usage),
  })),
};

/** The image service's describers, by method path. */
export const imageDescribers: Record<string, MethodDescriber> = {
  "/xai_api.Image/GenerateImage": generateImage,
};
