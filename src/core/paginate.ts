import type { Message } from "@bufbuild/protobuf";

/**
 * One page of a listing, the token of the next page (undefined on the last page) and the list response
 * message as `.proto`.
 *
 * @example
 * ```ts
 * const page: Page<StoredFile> = await client.files.list({ limit: 10 });
 * console.log(page.items.length, page.nextPageToken, page.proto.$typeName);
 * ```
 */
export interface Page<T, P extends Message = Message> {
  /** The items of this page. */
  items: T[];
  /** Pass as `paginationToken` to get the next page; undefined when this is the last page. */
  nextPageToken: string | undefined;
  /** The list response this page was read from. */
  proto: P;
}

/**
 * A page of a list response: its messages wrapped one by one, and its `paginationToken` (empty or unset on the
 * last page) as the next page's token.
 *
 * @example
 * ```ts
 * return pageOf(response, response.data, (file) => new StoredFile(file));
 * ```
 */
export function pageOf<P extends Message & { paginationToken?: string }, M, T>(
  response: P,
  messages: readonly M[],
  wrap: (message: M) => T,
): Page<T, P> {
  return {
    items: messages.map((message) => wrap(message)),
    nextPageToken: response.paginationToken || undefined,
    proto: response,
  };
}

/**
 * Walks every page from `fetchPage`, yielding items one by one; stops when a page has no next token
 * (or repeats the token it was asked with, which would otherwise loop forever).
 *
 * @example
 * ```ts
 * for await (const file of paginate((token) => client.files.list({ paginationToken: token }))) console.log(file.filename);
 * ```
 */
export async function* paginate<T>(
  fetchPage: (pageToken: string | undefined) => Promise<Page<T>>,
  firstToken?: string,
): AsyncGenerator<T, void, undefined> {
  let token = firstToken;
  for (;;) {
    const page = await fetchPage(token);
    yield* page.items;
    if (!page.nextPageToken || page.nextPageToken === token) return;
    token = page.nextPageToken;
  }
}
