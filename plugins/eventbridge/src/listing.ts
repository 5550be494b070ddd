import { classifiedPages, pages } from "@cleanup-runner/plugin-kit";

/**
 * Every item of an EventBridge listing, following NextToken to the last page
 * (EventBridge has no paginators in SDK v3). What a page call throws comes
 * out classified, its message naming `what`.
 */
export async function* listAll<Page extends { NextToken?: string | undefined }, Item>(
  what: string,
  fetchPage: (nextToken: string | undefined) => Promise<Page>,
  items: (page: Page) => readonly Item[] | undefined,
): AsyncGenerator<Item> {
  for await (const page of classifiedPages(
    what,
    pages(fetchPage, (page) => page.NextToken),
  ))
    yield* items(page) ?? [];
}
