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
 * @internal
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
 * for await (const file of paginate((token) => fetchFilesPage(token))) console.log(file.filename);
 * ```
 * @internal
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

/**
 * What every listing returns (`client.files.list()`, `client.batch.list()`, `client.collections.listDocuments()`,
 * …): awaited, the first {@link Page} (from the given `paginationToken`, `limit` items at most); iterated with
 * `for await`, every item of every page from there, page after page (`limit` items per call).
 *
 * Nothing is sent when the listing is made (its parameters are checked then, throwing `XaiInputError` at
 * once): each `await` (or `then`, `catch`, `finally`) makes one call, and each `for await` loop makes its own
 * calls from the first page. The per-call options (`timeout`, `signal`, `metadata`) apply to every call.
 *
 * @example
 * ```ts
 * const page = await client.files.list({ limit: 10 });
 * console.log(page.items.length, page.nextPageToken);
 * const next = await client.files.list({ limit: 10, paginationToken: page.nextPageToken });
 *
 * for await (const file of client.files.list({ limit: 100, sortBy: "size" })) console.log(file.filename);
 * ```
 */
export class PagePromise<T, P extends Message = Message>
  implements PromiseLike<Page<T, P>>, AsyncIterable<T>
{
  readonly #fetchPage: (pageToken: string | undefined) => Promise<Page<T, P>>;
  readonly #firstToken: string | undefined;

  /**
   * @internal Made by the listing methods: `fetchPage` gets the page at a token (undefined for the first).
   */
  constructor(fetchPage: (pageToken: string | undefined) => Promise<Page<T, P>>, firstToken?: string) {
    this.#fetchPage = fetchPage;
    this.#firstToken = firstToken || undefined;
  }

  /**
   * Fetches the first page (one call), as awaiting the listing does.
   *
   * @example
   * ```ts
   * client.files.list({ limit: 5 }).then((page) => console.log(page.items.length));
   * ```
   */
  // biome-ignore lint/suspicious/noThenProperty: a listing is awaitable on purpose (its first page)
  then<R1 = Page<T, P>, R2 = never>(
    onfulfilled?: ((page: Page<T, P>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#fetchPage(this.#firstToken).then(onfulfilled, onrejected);
  }

  /**
   * Fetches the first page (one call), handling a failure as `Promise.catch` does.
   *
   * @example
   * ```ts
   * const page = await client.batch.list({ limit: 5 }).catch(() => undefined);
   * ```
   */
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<Page<T, P> | R> {
    return this.then(undefined, onrejected);
  }

  /**
   * Fetches the first page (one call), running `onfinally` when it settles, as `Promise.finally` does.
   *
   * @example
   * ```ts
   * const page = await client.files.list().finally(() => spinner.stop());
   * ```
   */
  finally(onfinally?: (() => void) | null): Promise<Page<T, P>> {
    return this.then().finally(onfinally);
  }

  /**
   * Every item of every page, from the first page on; each loop makes its own calls, one per page.
   *
   * @example
   * ```ts
   * for await (const doc of client.collections.listDocuments(col.id, { limit: 50 })) console.log(doc.name);
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return paginate(this.#fetchPage, this.#firstToken);
  }

  get [Symbol.toStringTag](): string {
    return "PagePromise";
  }
}
