/**
 * Follows a paged API to its last page, for the calls the SDK has no
 * paginator for (EventBridge, API Gateway v2 GetApis, S3 ListObjectVersions).
 * `next` returns the token for the following page, or undefined on the last
 * one; a token can be an object when the API pages by several markers.
 * Pages are yielded one at a time, so a caller never holds the whole listing.
 */
export async function* pages<Page, Token>(
  fetchPage: (token: Token | undefined) => Promise<Page>,
  next: (page: Page) => Token | undefined,
): AsyncGenerator<Page, void, undefined> {
  let token: Token | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(token);
    yield page;
    token = next(page);
    // Some APIs end with an empty or null token rather than none: that is the last page too.
    if ((token as unknown) === null || (token as unknown) === "") token = undefined;
    if (token !== undefined) {
      // A service that hands back a token it already gave would loop forever.
      const key = JSON.stringify(token);
      if (seen.has(key)) throw new Error(`the API returned the page token ${key} twice`);
      seen.add(key);
    }
  } while (token !== undefined);
}

/** `[{ Key, Value }]` (the shape most AWS APIs use for tags) -> `{ Key: Value }`. */
export function tagRecord(
  list: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined,
): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const { Key, Value } of list ?? []) if (Key !== undefined) tags[Key] = Value ?? "";
  return tags;
}
