// Live search parameters (`searchParameters` on create): mode, sources, date range, result count, citations.
import { create } from "@bufbuild/protobuf";
import {
  checkBoolean,
  checkDateRange,
  checkExclusiveLists,
  checkInt,
  checkLiteral,
  checkOptions,
  checkString,
  checkStringArray,
  describe,
  fail,
  isMessageOf,
} from "../core/check.js";
import { lazy } from "../core/lazy.js";
import {
  SearchMode,
  type SearchParameters as SearchParametersProto,
  SearchParametersSchema,
  type Source,
  SourceSchema,
} from "../gen/xai/api/v1/chat_pb.js";

/**
 * When the model searches: never (`"off"`), always (`"on"`) or when it sees fit (`"auto"`, the default).
 *
 * @example
 * ```ts
 * searchParameters({ mode: "on" satisfies SearchModeName });
 * ```
 */
export type SearchModeName = "off" | "on" | "auto";

const searchModeToProto = lazy(
  (): Record<SearchModeName, SearchMode> => ({
    off: SearchMode.OFF_SEARCH_MODE,
    on: SearchMode.ON_SEARCH_MODE,
    auto: SearchMode.AUTO_SEARCH_MODE,
  }),
);

/**
 * Options of {@link searchParameters} (also accepted directly as `searchParameters` on create).
 *
 * @example
 * ```ts
 * client.chat.create({ model: "grok-4", searchParameters: { mode: "auto", maxSearchResults: 5 }, messages });
 * ```
 */
export interface SearchParametersOptions {
  /** Default `"auto"`. */
  mode?: SearchModeName;
  /** Where to search (built with {@link webSource}, {@link newsSource}, {@link xSource}, {@link rssSource}); default web and X. */
  sources?: Source[];
  /** Only content from this date on (a Date or an ISO 8601 string). */
  fromDate?: Date | string;
  /** Only content up to this date. */
  toDate?: Date | string;
  /** Whether the response lists its sources in `citations`. Default true. */
  returnCitations?: boolean;
  /** At most this many sources are considered. */
  maxSearchResults?: number;
}

/**
 * Live search settings. Defaults match the Python SDK: mode `"auto"` and `returnCitations: true`, both always
 * sent. (xAI marks live search as deprecated in favour of the `webSearch()`/`xSearch()` tools; it still works.)
 *
 * @example
 * ```ts
 * const chat = client.chat.create({
 *   model: "grok-4",
 *   searchParameters: searchParameters({ mode: "on", sources: [webSource({ country: "FR" }), xSource()], maxSearchResults: 5 }),
 *   messages: [user("What happened in Paris today?")],
 * });
 * ```
 */
export function searchParameters(options?: SearchParametersOptions): SearchParametersProto {
  const o = checkOptions("searchParameters()", options, [
    "mode",
    "sources",
    "fromDate",
    "toDate",
    "returnCitations",
    "maxSearchResults",
  ]);
  const mode = checkLiteral("searchParameters() mode", o.mode ?? "auto", ["off", "on", "auto"] as const);
  const { fromDate, toDate } = checkDateRange("searchParameters()", o);
  let sources: Source[] = [];
  if (o.sources !== undefined) {
    if (!Array.isArray(o.sources))
      fail(`searchParameters() sources must be an array, got ${describe(o.sources)}`);
    sources = o.sources.map((source, i) => {
      if (!isMessageOf<Source>(source, "xai_api.Source")) {
        fail(
          `searchParameters() sources[${i}] must be made by webSource(), newsSource(), xSource() or rssSource(), got ${describe(source)}`,
        );
      }
      return source;
    });
  }
  return create(SearchParametersSchema, {
    mode: searchModeToProto()[mode],
    sources,
    fromDate,
    toDate,
    returnCitations: checkBoolean("searchParameters() returnCitations", o.returnCitations ?? true),
    maxSearchResults:
      o.maxSearchResults === undefined
        ? undefined
        : checkInt("searchParameters() maxSearchResults", o.maxSearchResults, 1),
  });
}

/**
 * Options of {@link webSource}.
 *
 * @example
 * ```ts
 * webSource({ excludedWebsites: ["example.com"], safeSearch: false });
 * ```
 */
export interface WebSourceOptions {
  /** ISO 3166-1 alpha-2 country code to localize results. */
  country?: string;
  /** Never use these sites; not with `allowedWebsites`. */
  excludedWebsites?: string[];
  /** Only use these sites; not with `excludedWebsites`. */
  allowedWebsites?: string[];
  /** Filter adult content. Default true (always sent). */
  safeSearch?: boolean;
}

/**
 * Web pages as a live search source.
 *
 * @example
 * ```ts
 * searchParameters({ sources: [webSource({ allowedWebsites: ["x.ai"] })] });
 * ```
 */
export function webSource(options?: WebSourceOptions): Source {
  const o = checkOptions("webSource()", options, [
    "country",
    "excludedWebsites",
    "allowedWebsites",
    "safeSearch",
  ]);
  const [allowedWebsites, excludedWebsites] = checkExclusiveLists(
    "webSource()",
    o,
    "allowedWebsites",
    "excludedWebsites",
  );
  return create(SourceSchema, {
    source: {
      case: "web",
      value: {
        country: o.country === undefined ? undefined : checkString("webSource() country", o.country),
        excludedWebsites,
        allowedWebsites,
        safeSearch: checkBoolean("webSource() safeSearch", o.safeSearch ?? true),
      },
    },
  });
}

/**
 * Options of {@link newsSource}.
 *
 * @example
 * ```ts
 * newsSource({ country: "DE", excludedWebsites: ["tabloid.example"] });
 * ```
 */
export interface NewsSourceOptions {
  /** ISO 3166-1 alpha-2 country code to localize results. */
  country?: string;
  /** Never use these sites. */
  excludedWebsites?: string[];
  /** Filter adult content. Default true (always sent). */
  safeSearch?: boolean;
}

/**
 * News articles as a live search source.
 *
 * @example
 * ```ts
 * searchParameters({ sources: [newsSource({ country: "GB" })] });
 * ```
 */
export function newsSource(options?: NewsSourceOptions): Source {
  const o = checkOptions("newsSource()", options, ["country", "excludedWebsites", "safeSearch"]);
  return create(SourceSchema, {
    source: {
      case: "news",
      value: {
        country: o.country === undefined ? undefined : checkString("newsSource() country", o.country),
        excludedWebsites:
          o.excludedWebsites === undefined
            ? []
            : checkStringArray("newsSource() excludedWebsites", o.excludedWebsites),
        safeSearch: checkBoolean("newsSource() safeSearch", o.safeSearch ?? true),
      },
    },
  });
}

/**
 * Options of {@link xSource}.
 *
 * @example
 * ```ts
 * xSource({ includedXHandles: ["xai", "elonmusk"], postViewCount: 10_000 });
 * ```
 */
export interface XSourceOptions {
  /** Only posts from these handles; not with `excludedXHandles`. */
  includedXHandles?: string[];
  /** Never posts from these handles. */
  excludedXHandles?: string[];
  /** Only posts with at least this many likes. */
  postFavoriteCount?: number;
  /** Only posts with at least this many views. */
  postViewCount?: number;
}

/**
 * Posts on X as a live search source.
 *
 * @example
 * ```ts
 * searchParameters({ sources: [xSource({ includedXHandles: ["xai"], postFavoriteCount: 100 })] });
 * ```
 */
export function xSource(options?: XSourceOptions): Source {
  const o = checkOptions("xSource()", options, [
    "includedXHandles",
    "excludedXHandles",
    "postFavoriteCount",
    "postViewCount",
  ]);
  const [includedXHandles, excludedXHandles] = checkExclusiveLists(
    "xSource()",
    o,
    "includedXHandles",
    "excludedXHandles",
  );
  return create(SourceSchema, {
    source: {
      case: "x",
      value: {
        includedXHandles,
        excludedXHandles,
        postFavoriteCount:
          o.postFavoriteCount === undefined
            ? undefined
            : checkInt("xSource() postFavoriteCount", o.postFavoriteCount, 0),
        postViewCount:
          o.postViewCount === undefined ? undefined : checkInt("xSource() postViewCount", o.postViewCount, 0),
      },
    },
  });
}

/**
 * RSS feeds as a live search source.
 *
 * @example
 * ```ts
 * searchParameters({ sources: [rssSource(["https://status.x.ai/feed.xml"])] });
 * ```
 */
export function rssSource(links: string[]): Source {
  checkStringArray("rssSource() links", links);
  if (links.length === 0) fail("rssSource() needs at least one feed URL");
  for (const link of links) {
    if (!/^https?:\/\//i.test(link)) fail(`rssSource() links must be http(s) URLs, got ${describe(link)}`);
  }
  return create(SourceSchema, { source: { case: "rss", value: { links } } });
}
